package org.fink.distribution.rules;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file format of watchlist catalogs beyond CSV (which core reads itself), found with {@link java.util.ServiceLoader}:
 * fink-distribution-spark provides Parquet. A format reads the columns {@code name}, {@code ra}, {@code dec} and
 * optionally {@code radius} (arcsec), reporting missing columns and unreadable values to the rows, which check the
 * rest.
 *
 * <pre>{@code
 * // META-INF/services/org.fink.distribution.rules.WatchlistFormat: org.fink.distribution.spark.ParquetWatchlists
 * public boolean reads(Path file) { return file.toString().endsWith(".parquet"); }
 * }</pre>
 */
public interface WatchlistFormat {
  /** Whether this format reads {@code file} (by its name). */
  boolean reads(Path file);

  /** Reads every row of {@code file} into {@code rows}, until it ends or {@link WatchlistRows#full()}. */
  void read(Path file, WatchlistRows rows) throws IOException;
}
