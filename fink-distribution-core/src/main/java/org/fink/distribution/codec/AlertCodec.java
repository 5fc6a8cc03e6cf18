package org.fink.distribution.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes alerts as Kafka message values, and decodes them, in one of the {@link MessageFormat}s (DESIGN.md §5).
 *
 * <pre>{@code
 * AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema);
 * byte[] value = codec.encode(alert);
 * GenericRecord back = codec.decode(value);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AlertCodec {
  /** The header of an Avro object container file (Avro specification, "Object Container Files"). */
  private static final Schema CONTAINER_HEADER = new Schema.Parser().parse("{\"type\": \"record\","
      + " \"name\": \"org.apache.avro.file.Header\", \"fields\": ["
      + "{\"name\": \"magic\", \"type\": {\"type\": \"fixed\", \"name\": \"Magic\", \"size\": 4}},"
      + "{\"name\": \"meta\", \"type\": {\"type\": \"map\", \"values\": \"bytes\"}},"
      + "{\"name\": \"sync\", \"type\": {\"type\": \"fixed\", \"name\": \"Sync\", \"size\": 16}}]}");

  private final MessageFormat format;
  private final Schema schema;
  private final byte[] header;
  /** Sync marker of container messages: fixed per schema, so that the same alert always gives the same bytes. */
  private final byte[] sync;

  private AlertCodec(MessageFormat format, Schema schema) {
    this.format = format;
    this.schema = schema;
    this.header = SchemaFingerprint.singleObjectHeader(schema);
    try {
      this.sync = SchemaNormalization.parsingFingerprint("MD5", schema);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available", e);
    }
  }

  public static AlertCodec of(MessageFormat format, Schema schema) {
    return new AlertCodec(format, schema);
  }

  public MessageFormat format() {
    return format;
  }

  public Schema schema() {
    return schema;
  }

  /** The message value of one alert. */
  public byte[] encode(GenericRecord alert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(schema).write(alert, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new AlertCodecException("cannot encode alert with schema " + schema.getFullName() + ": "
          + e.getMessage(), e);
    }
    return frame(out.toByteArray());
  }

  /** Wraps an Avro binary record (as Spark's {@code to_avro} writes it) in this codec's framing. */
  public byte[] frame(byte[] binaryRecord) {
    switch (format) {
      case AVRO_RAW:
        return binaryRecord;
      case AVRO_SINGLE_OBJECT: {
        byte[] out = Arrays.copyOf(header, header.length + binaryRecord.length);
        System.arraycopy(binaryRecord, 0, out, header.length, binaryRecord.length);
        return out;
      }
      case AVRO_CONTAINER: {
        ByteArrayOutputStream out = new ByteArrayOutputStream(binaryRecord.length + 2048);
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
          writer.create(schema, out, sync);
          writer.appendEncoded(ByteBuffer.wrap(binaryRecord));
        } catch (IOException e) {
          throw new AlertCodecException("cannot write an Avro container message", e);
        }
        return out.toByteArray();
      }
      default:
        throw new IllegalStateException(format.toString());
    }
  }

  /** The alert in a message value written with this codec's format and schema. */
  public GenericRecord decode(byte[] value) {
    try {
      switch (format) {
        case AVRO_RAW:
          return read(value, 0, value.length, schema, schema, true);
        case AVRO_SINGLE_OBJECT: {
          long fingerprint = SchemaFingerprint.read(value);
          long expected = SchemaFingerprint.of(schema);
          if (fingerprint != expected) {
            throw new AlertCodecException("message written with schema fingerprint "
                + SchemaFingerprint.hex(fingerprint) + ", but the schema given has " + SchemaFingerprint.hex(expected)
                + "; use the schema the stream published");
          }
          return read(value, SchemaFingerprint.HEADER_LENGTH, value.length - SchemaFingerprint.HEADER_LENGTH, schema,
              schema, true);
        }
        case AVRO_CONTAINER:
          return readContainer(value, schema);
        default:
          throw new IllegalStateException(format.toString());
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof AlertCodecException codecException) {
        throw codecException;
      }
      throw new AlertCodecException("cannot decode a " + format.label() + " message of " + value.length
          + " bytes with schema " + schema.getFullName() + ": " + e, e);
    }
  }

  /**
   * Reads the first record of an Avro binary buffer. The buffer is first walked without allocating anything: a corrupt
   * length (a string of 2 GB in a message of 300 bytes) then fails as an end of input, not as an OutOfMemoryError.
   *
   * @param whole whether the record must end the buffer
   */
  private static GenericRecord read(byte[] value, int offset, int length, Schema writer, Schema reader,
      boolean whole) throws IOException {
    BinaryDecoder check = DecoderFactory.get().binaryDecoder(value, offset, length, null);
    GenericDatumReader.skip(writer, check);
    if (whole && !check.isEnd()) {
      throw new AlertCodecException("message has " + length + " bytes but the record ends"
          + " before; the schema given is not the one it was written with");
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, offset, length, null);
    return new GenericDatumReader<GenericRecord>(writer, reader).read(null, decoder);
  }

  /** Reads the first record of a container message, checking lengths before Avro allocates for them. */
  private static GenericRecord readContainer(byte[] value, Schema reader) throws IOException {
    BinaryDecoder check = DecoderFactory.get().binaryDecoder(value, null);
    GenericDatumReader.skip(CONTAINER_HEADER, check);
    long count = check.readLong();
    long size = check.readLong();
    if (count < 1 || size < 0 || size > value.length) {
      throw new AlertCodecException("container message of " + value.length + " bytes has a first block of "
          + count + " records and " + size + " bytes: it is corrupt, or holds no alert");
    }
    try (DataFileStream<GenericRecord> stream =
        new DataFileStream<>(new ByteArrayInputStream(value), new GenericDatumReader<>())) {
      ByteBuffer block = stream.nextBlock();
      byte[] bytes = new byte[block.remaining()];
      block.get(bytes);
      return read(bytes, 0, bytes.length, stream.getSchema(), reader, count == 1);
    }
  }
}
