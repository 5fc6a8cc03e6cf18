package org.fink.distribution.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The CRC-64-AVRO fingerprint of a schema's parsing canonical form, as Avro single-object encoding carries it.
 *
 * <pre>{@code
 * long id = SchemaFingerprint.of(schema);
 * byte[] header = SchemaFingerprint.singleObjectHeader(schema);   // C3 01 + 8 bytes little-endian
 * }</pre>
 */
public final class SchemaFingerprint {
  /** Length of the single-object header: 2 marker bytes and the 8-byte fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private SchemaFingerprint() {}

  public static long of(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The fingerprint as 16 hex digits, as written in message headers and schema file names. */
  public static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  /** The 10 bytes that start every single-object encoded message of this schema. */
  public static byte[] singleObjectHeader(Schema schema) {
    return singleObjectHeader(of(schema));
  }

  /** The 10 bytes that start every single-object encoded message of the schema of this fingerprint. */
  static byte[] singleObjectHeader(long fingerprint) {
    return ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
  }

  /** The fingerprint carried by a single-object encoded message, or an error saying what the bytes are. */
  public static long read(byte[] message) {
    if (message.length < HEADER_LENGTH || (message[0] & 0xFF) != 0xC3 || message[1] != 0x01) {
      throw new AlertCodecException("not an Avro single-object message (it should start with C3 01; "
          + "is DISTRIBUTION_FORMAT right?)");
    }
    return ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
