package org.fink.distribution.spark;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What ingest does with alert files that are not readable alerts of its survey (truncated, corrupt, of a foreign
 * schema or another survey): stop before storing anything (the default), or move them to a quarantine folder, each with
 * a {@code .reason.txt} beside it, and store the others.
 *
 * <pre>{@code
 * new SurveyIngest(spark).withBadFiles(BadAlertFiles.quarantineIn(Path.of("quarantine"))).ingestReport(alerts, db);
 * }</pre>
 *
 * @param quarantine where bad files are moved; null to stop at the first ingest that meets one
 */
public record BadAlertFiles(Path quarantine) {
  /** Stop: refuse the whole ingest, naming every bad file and its reason; nothing is stored. */
  public static final BadAlertFiles STOP = new BadAlertFiles(null);

  /** Move bad files to {@code folder} (created if needed) and ingest the others. */
  public static BadAlertFiles quarantineIn(Path folder) {
    return new BadAlertFiles(Objects.requireNonNull(folder, "quarantine folder"));
  }

  /** Whether bad files are set aside rather than stopping the ingest. */
  public boolean quarantines() {
    return quarantine != null;
  }
}
