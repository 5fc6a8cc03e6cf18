package org.fink.distribution.codec;

import java.util.Optional;

/**
 * Recognizes the framing of a message from its first bytes: {@code C3 01} is Avro single-object encoding,
 * {@code Obj 01} an Avro container file; a key holding an Avro schema (JSON) marks the Fink framing, a value that is a
 * JSON object the JSON framing; anything else is taken as a raw Avro record.
 *
 * <pre>{@code
 * MessageFormat format = MessageFormats.detect(record.key(), record.value());
 * }</pre>
 */
public final class MessageFormats {
  private static final byte[] CONTAINER_MAGIC = {'O', 'b', 'j', 1};

  private MessageFormats() {}

  /** The framing of a value alone (no key at hand): never {@link MessageFormat#FINK}, whose mark is the key. */
  public static MessageFormat detect(byte[] value) {
    return detect(null, value);
  }

  /** The framing of a message from its key (may be null) and value. */
  public static MessageFormat detect(byte[] key, byte[] value) {
    Optional<MessageFormat> framed = detectFramed(value);
    if (framed.isPresent()) {
      return framed.get();
    }
    if (isSchemaKey(key)) {
      return MessageFormat.FINK;
    }
    if (isJsonObject(value)) {
      return MessageFormat.JSON;
    }
    return MessageFormat.AVRO_RAW;
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

  /**
   * Whether a key is an Avro schema in JSON, as the Fink framing writes it: a JSON object (an object id, Rubin's
   * numeric one included, never is) that names a {@code "type"}.
   */
  public static boolean isSchemaKey(byte[] key) {
    if (key == null || key.length < 2 || first(key) != '{' || last(key) != '}') {
      return false;
    }
    String text = new String(key, 0, Math.min(key.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
    return text.contains("\"type\"");
  }

  private static boolean isJsonObject(byte[] value) {
    return value != null && value.length >= 2 && first(value) == '{' && last(value) == '}';
  }

  private static int first(byte[] bytes) {
    for (byte b : bytes) {
      if (!Character.isWhitespace(b)) {
        return b;
      }
    }
    return -1;
  }

  private static int last(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (!Character.isWhitespace(bytes[i])) {
        return bytes[i];
      }
    }
    return -1;
  }
}
