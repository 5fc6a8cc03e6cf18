package org.fink.distribution.codec;

/**
 * Names of the Kafka headers every distributed message carries (DESIGN.md §5).
 *
 * <pre>{@code
 * Header id = record.headers().lastHeader(AlertHeaders.ALERT_ID);
 * }</pre>
 */
public final class AlertHeaders {
  /** The stream that selected the alert (UTF-8). */
  public static final String STREAM = "fink-stream";
  /** The writer schema's CRC-64-AVRO fingerprint, 16 hex digits (UTF-8). */
  public static final String SCHEMA_FINGERPRINT = "fink-schema-fingerprint";
  /** The alert's unique id ({@code candid} for ZTF), decimal (UTF-8): consumers drop duplicates by it. */
  public static final String ALERT_ID = "fink-alert-id";

  private AlertHeaders() {}
}
