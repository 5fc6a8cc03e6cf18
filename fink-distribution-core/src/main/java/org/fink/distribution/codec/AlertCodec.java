package org.fink.distribution.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
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
  private final MessageFormat format;
  private final Schema schema;
  private final byte[] header;

  private AlertCodec(MessageFormat format, Schema schema) {
    this.format = format;
    this.schema = schema;
    this.header = SchemaFingerprint.singleObjectHeader(schema);
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
          writer.create(schema, out);
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
          return read(value, 0, schema);
        case AVRO_SINGLE_OBJECT: {
          long fingerprint = SchemaFingerprint.read(value);
          long expected = SchemaFingerprint.of(schema);
          if (fingerprint != expected) {
            throw new AlertCodecException("message written with schema fingerprint "
                + SchemaFingerprint.hex(fingerprint) + ", but the schema given has " + SchemaFingerprint.hex(expected)
                + "; use the schema the stream published");
          }
          return read(value, SchemaFingerprint.HEADER_LENGTH, schema);
        }
        case AVRO_CONTAINER:
          try (DataFileStream<GenericRecord> stream =
              new DataFileStream<>(new ByteArrayInputStream(value), new GenericDatumReader<>(null, schema))) {
            return stream.next();
          }
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

  private static GenericRecord read(byte[] value, int offset, Schema schema) throws IOException {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, null);
    GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
    if (!decoder.isEnd()) {
      throw new AlertCodecException("message has " + (value.length - offset) + " bytes but the record ends"
          + " before; the schema given is not the one it was written with");
    }
    return record;
  }
}
