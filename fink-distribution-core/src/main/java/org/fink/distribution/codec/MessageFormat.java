package org.fink.distribution.codec;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Framing of a Kafka message ({@code DISTRIBUTION_FORMAT}, DESIGN.md §5; README "Reading the streams").
 *
 * <pre>{@code
 * MessageFormat format = MessageFormat.parse("fink");   // what Fink's Python client (fink-client) reads as is
 * }</pre>
 */
public enum MessageFormat {
  /**
   * Fink's own convention, read unmodified by fink-client: key = the stream's Avro schema as compact JSON, value =
   * the bare Avro binary record; the partition is chosen from a hash of the alert's object id
   * ({@code DISTRIBUTION_KEY}); the schema is also published to the topic {@code <topic>_schema}.
   */
  FINK("fink"),
  /** {@code C3 01}, 8-byte little-endian CRC-64-AVRO schema fingerprint, then the Avro binary record. */
  AVRO_SINGLE_OBJECT("avro-single-object"),
  /** The Avro binary record alone; consumers need the schema file. */
  AVRO_RAW("avro-raw"),
  /** An Avro object container file holding one record, schema inside. */
  AVRO_CONTAINER("avro-container"),
  /** One plain JSON object per message, same fields and nesting as the Avro record ({@link AlertJson}). */
  JSON("json");

  private final String label;

  MessageFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Every label, in declaration order: {@code fink, avro-single-object, avro-raw, avro-container, json}. */
  public static String labels() {
    return Arrays.stream(values()).map(MessageFormat::label).collect(Collectors.joining(", "));
  }

  /** The format with this label (surrounding blanks ignored), or empty when none has it. */
  public static Optional<MessageFormat> ofLabel(String text) {
    return Arrays.stream(values()).filter(f -> f.label.equals(text.strip())).findFirst();
  }

  /** The format with this label (surrounding blanks ignored); an {@link IllegalArgumentException} listing the labels. */
  public static MessageFormat parse(String text) {
    return ofLabel(text).orElseThrow(() -> new IllegalArgumentException("message format " + text
        + " is not valid; use one of " + labels()));
  }

  /** Whether the value is the Avro binary record itself, with nothing before or after it. */
  public boolean isBareRecord() {
    return this == FINK || this == AVRO_RAW;
  }
}
