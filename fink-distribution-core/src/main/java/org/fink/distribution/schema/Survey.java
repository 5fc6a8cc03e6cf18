package org.fink.distribution.schema;

import java.util.Arrays;
import java.util.List;

/**
 * A survey whose alerts the service ingests and distributes: the field that identifies an alert, and the field that
 * dates its observation. Ingest stores an alert once per id; the distribution sends the id in each message's
 * {@code fink-alert-id} header.
 *
 * <pre>{@code
 * Survey.RUBIN.alertIdField();          // "diaSource.diaSourceId"
 * Survey.ZTF.observationTimeField();    // "candidate.jd", in days; Survey.ZTF.unixEpoch() = 2440587.5
 * Survey.ALERT_ID_FIELDS;               // [candid, diaSource.diaSourceId]: first found in a science database wins
 * }</pre>
 */
public enum Survey {
  /** ZTF: id {@code candid}, time {@code candidate.jd} (Julian date). */
  ZTF("candid", "candidate.jd", 2440587.5),
  /** Rubin: id {@code diaSource.diaSourceId}, time {@code diaSource.midpointMjdTai} (modified Julian date). */
  RUBIN("diaSource.diaSourceId", "diaSource.midpointMjdTai", 40587.0);

  /** Science-database fields that may hold the alert's unique id, one per survey in this order: first found wins. */
  public static final List<String> ALERT_ID_FIELDS = Arrays.stream(values()).map(Survey::alertIdField).toList();

  private final String alertIdField;
  private final String observationTimeField;
  private final double unixEpoch;

  Survey(String alertIdField, String observationTimeField, double unixEpoch) {
    this.alertIdField = alertIdField;
    this.observationTimeField = observationTimeField;
    this.unixEpoch = unixEpoch;
  }

  /** The field (dotted path) that identifies an alert uniquely. */
  public String alertIdField() {
    return alertIdField;
  }

  /** The field (dotted path) of the observation time, in days on the survey's time scale. */
  public String observationTimeField() {
    return observationTimeField;
  }

  /** The value of {@link #observationTimeField()} at the Unix epoch (1970-01-01T00:00 UTC), in days. */
  public double unixEpoch() {
    return unixEpoch;
  }
}
