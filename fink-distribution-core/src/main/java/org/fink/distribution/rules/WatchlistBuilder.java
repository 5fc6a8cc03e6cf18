package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * Builds a {@link Watchlist}: {@code Rules.watchlist(raField, decField).file(catalog).within(radius, unit)}, then
 * {@code .annotated()} on the result to add the match's name and separation to the stream's alerts.
 *
 * <pre>{@code
 * Watchlist w = Rules.watchlist("candidate.ra", "candidate.dec").file(Path.of("watchlist.csv"))
 *     .within(2, AngleUnit.ARCSEC);
 * }</pre>
 */
public final class WatchlistBuilder {
  private final FieldPath ra;
  private final FieldPath dec;
  private final Path file;

  WatchlistBuilder(FieldPath ra, FieldPath dec, Path file) {
    this.ra = ra;
    this.dec = dec;
    this.file = file;
  }

  /** The catalog: a CSV file with the columns name, ra, dec and optionally radius (arcsec). */
  public WatchlistBuilder file(Path catalog) {
    return new WatchlistBuilder(ra, dec, catalog);
  }

  /**
   * The radius of sources without their own.
   *
   * @throws IllegalStateException when no file was given
   * @throws IllegalArgumentException when the radius is not above 0 and at most 1 degree
   */
  public Watchlist within(double radius, AngleUnit unit) {
    if (file == null) {
      throw new IllegalStateException("give the catalog first: watchlist(ra, dec).file(path).within(r, unit)");
    }
    return new Watchlist(ra, dec, file, BigDecimal.valueOf(radius), unit, false);
  }
}
