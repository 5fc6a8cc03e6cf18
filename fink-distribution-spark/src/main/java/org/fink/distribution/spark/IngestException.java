package org.fink.distribution.spark;

import java.util.List;
import org.fink.distribution.FinkException;

/**
 * An ingest that stored nothing: bad alert files met with {@link BadAlertFiles#STOP}, another ingest running on the
 * same science database, or Spark failing to read the files. The message names the file or folder and the fix.
 *
 * <pre>{@code
 * try {
 *   ingest.ingestReport(alerts, db);
 * } catch (IngestException e) {
 *   e.badFiles().forEach(f -> System.err.println(f.file() + ": " + f.reason()));
 * }
 * }</pre>
 */
public class IngestException extends FinkException {
  private final List<BadAlertFile> badFiles;

  public IngestException(String message, Throwable cause) {
    this(message, List.of(), cause);
  }

  public IngestException(String message, List<BadAlertFile> badFiles, Throwable cause) {
    super(message, cause);
    this.badFiles = List.copyOf(badFiles);
  }

  /** The bad alert files that stopped the ingest (empty for another cause). */
  public List<BadAlertFile> badFiles() {
    return badFiles;
  }
}
