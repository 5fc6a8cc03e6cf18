package org.fink.distribution.codec;

import java.util.Optional;

/**
 * Recognizes the framing of a message value from its first bytes: {@code C3 01} is Avro single-object encoding,
 * {@code Obj 01} an Avro container file; anything else is taken as a raw Avro record.
 *
 * <pre>{@code
 * MessageFormat format = MessageFormats.detect(record.value());
 * }</pre>
 */
public final class MessageFormats {
  private static final byte[] CONTAINER_MAGIC = {'O', 'b', 'j', 1};

  private MessageFormats() {}

  public static MessageFormat detect(byte[] value) {
    return detectFramed(value).orElse(MessageFormat.AVRO_RAW);
  }

  /** The framing when the bytes announce one; empty for a raw record (which carries no marker). */
  public static Optional<MessageFormat> detectFramed(byte[] value) {
    if (value.length >= SchemaFingerprint.HEADER_LENGTH && (value[0] & 0xFF) == 0xC3 && value[1] == 0x01) {
      return Optional.of(MessageFormat.AVRO_SINGLE_OBJECT);
    }
    if (value.length >= CONTAINER_MAGIC.length && value[0] == CONTAINER_MAGIC[0] && value[1] == CONTAINER_MAGIC[1]
        && value[2] == CONTAINER_MAGIC[2] && value[3] == CONTAINER_MAGIC[3]) {
      return Optional.of(MessageFormat.AVRO_CONTAINER);
    }
    return Optional.empty();
  }
}
