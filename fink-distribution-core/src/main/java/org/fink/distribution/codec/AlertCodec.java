package org.fink.distribution.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.RawMessageDecoder;
import org.apache.avro.message.RawMessageEncoder;
import org.apache.avro.message.SchemaStore;

/**
 * Encodes alerts as Kafka message values, and decodes them, in one of the {@link MessageFormat}s (DESIGN.md §5): the
 * one place that frames and unframes messages. Single-object messages are Avro's own
 * {@link BinaryMessageEncoder}/{@link BinaryMessageDecoder} ({@code C3 01}, 8-byte fingerprint, record), raw ones
 * {@link RawMessageEncoder}/{@link RawMessageDecoder}, container ones a one-record Avro object container file, Fink
 * ones a raw record whose message key is the schema ({@link #messageKey}), JSON ones {@link AlertJson}.
 *
 * <pre>{@code
 * AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema);
 * byte[] value = codec.encode(alert);
 * GenericRecord back = codec.decode(value);
 * GenericRecord old = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema, oldSchema).decode(value); // resolved
 * // messages of any writer schema a store knows (folder, schema topic), framing recognized per message
 * AlertCodec.Decoder any = AlertCodec.decoder(new SchemaFolderStore(Path.of("schemas")), null, "give the .avsc");
 * DecodedAlert decoded = any.decode(value, MessageFormats.detect(value), OptionalLong.empty());
 * // Fink framing: the key is the schema
 * AlertCodec fink = AlertCodec.of(MessageFormat.FINK, schema);
 * byte[] key = fink.messageKey(objectId);                       // the schema, compact JSON
 * DecodedAlert read = any.decode(key, fink.encode(alert), MessageFormat.FINK, OptionalLong.empty());
 * }</pre>
 *
 * <p>Every decode first walks the record without allocating anything: corrupt input (truncated, bit-flipped, a length
 * claiming 2 GB) fails as an {@link AlertCodecException} naming what is wrong, never as an OutOfMemoryError or a raw
 * Avro exception. Instances are immutable and thread-safe.
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
  private final long fingerprint;
  private final byte[] header;
  /** Sync marker of container messages: fixed per schema, so that the same alert always gives the same bytes. */
  private final byte[] sync;
  private final BinaryMessageEncoder<GenericRecord> singleObject;
  private final RawMessageEncoder<GenericRecord> raw;
  private final Decoder decoder;
  /** The Fink framing's message key: the schema as compact JSON. */
  private final byte[] schemaKey;

  private AlertCodec(MessageFormat format, Schema schema, Schema reader) {
    this.format = format;
    this.schema = schema;
    this.fingerprint = SchemaFingerprint.of(schema);
    this.header = SchemaFingerprint.singleObjectHeader(fingerprint);
    try {
      this.sync = format == MessageFormat.AVRO_CONTAINER ? SchemaNormalization.parsingFingerprint("MD5", schema) : null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available", e);
    }
    this.singleObject = format == MessageFormat.AVRO_SINGLE_OBJECT
        ? new BinaryMessageEncoder<>(GenericData.get(), schema) : null;
    this.raw = new RawMessageEncoder<>(GenericData.get(), schema);
    this.schemaKey = schemaKey(schema);
    this.decoder = new Decoder(f -> f == fingerprint ? schema : null, reader,
        reader == schema ? fingerprint : SchemaFingerprint.of(reader),
        "the schema given has " + SchemaFingerprint.hex(fingerprint) + "; use the schema the stream published");
  }

  /** Encodes with {@code schema} and decodes messages written with it into it. */
  public static AlertCodec of(MessageFormat format, Schema schema) {
    return new AlertCodec(format, schema, schema);
  }

  /**
   * Encodes with {@code writer} and decodes messages written with it into {@code reader} (Avro schema resolution:
   * fields the reader lacks are dropped, fields the writer lacks take the reader's defaults).
   */
  public static AlertCodec of(MessageFormat format, Schema writer, Schema reader) {
    return new AlertCodec(format, writer, reader);
  }

  /**
   * A decoder of messages of any framing written with any schema {@code writers} knows (by fingerprint).
   *
   * @param reader the schema to decode into (Avro schema resolution), or null for each message's writer schema
   * @param whenUnknown what to say about a fingerprint {@code writers} does not know (where to find the schema)
   */
  public static Decoder decoder(SchemaStore writers, Schema reader, String whenUnknown) {
    return new Decoder(writers, reader, reader == null ? 0 : SchemaFingerprint.of(reader), whenUnknown);
  }

  public MessageFormat format() {
    return format;
  }

  public Schema schema() {
    return schema;
  }

  /** A schema as the Fink framing's message key: its compact JSON, UTF-8 (what fink-client json.loads). */
  public static byte[] schemaKey(Schema schema) {
    return schema.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The message key of an alert whose object id is {@code objectKey}: the schema ({@link #schemaKey}) in the Fink
   * framing, {@code objectKey} itself in the others.
   */
  public byte[] messageKey(byte[] objectKey) {
    return format == MessageFormat.FINK ? schemaKey.clone() : objectKey;
  }

  /** The message value of one alert. */
  public byte[] encode(GenericRecord alert) {
    try {
      switch (format) {
        case AVRO_SINGLE_OBJECT:
          return singleObject.encode(alert).array();
        case AVRO_RAW:
        case FINK:
          return raw.encode(alert).array();
        case AVRO_CONTAINER:
          return frame(raw.encode(alert).array());
        case JSON:
          return AlertJson.write(alert);
        default:
          throw new IllegalStateException(format.toString());
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof AlertCodecException codecException) {
        throw codecException;
      }
      throw new AlertCodecException("cannot encode alert with schema " + schema.getFullName() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Wraps an Avro binary record of this codec's schema (as the distribution's row writer or Spark's {@code to_avro}
   * writes it) in this codec's framing: the same bytes as {@link #encode} of the record.
   */
  public byte[] frame(byte[] binaryRecord) {
    switch (format) {
      case AVRO_RAW:
      case FINK:
        return binaryRecord;
      case JSON: {
        GenericRecord alert;
        try {
          alert = new GenericDatumReader<GenericRecord>(schema)
              .read(null, DecoderFactory.get().binaryDecoder(binaryRecord, null));
        } catch (IOException | RuntimeException e) {
          throw new AlertCodecException("cannot read a " + schema.getFullName() + " record to write it as JSON: "
              + e, e);
        }
        return AlertJson.write(alert);
      }
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

  /** The bytes this framing puts before the binary record ({@code C3 01} + fingerprint; none for raw). */
  public byte[] recordPrefix() {
    switch (format) {
      case AVRO_SINGLE_OBJECT:
        return header.clone();
      case AVRO_RAW:
      case FINK:
        return new byte[0];
      default:
        throw new IllegalStateException(format.label() + " messages are not a prefix and a binary record");
    }
  }

  /** The alert in a message value written with this codec's format and schema, in the reader schema. */
  public GenericRecord decode(byte[] value) {
    return decoder.decode(value, format, OptionalLong.of(fingerprint)).alert();
  }

  /**
   * The Avro binary record inside a message value written with this codec's schema (the framing removed, checked as
   * {@link #decode} checks it; a container's record re-encoded in the reader schema), for readers that decode
   * records themselves (Spark's {@code from_avro}).
   */
  public byte[] unframe(byte[] value) {
    switch (format) {
      case AVRO_RAW:
      case FINK:
        decoder.check(value, 0, schema, format);
        return value;
      case JSON: {
        GenericRecord alert = decoder.decode(value, format, OptionalLong.of(fingerprint)).alert();
        try {
          return new RawMessageEncoder<GenericRecord>(GenericData.get(), alert.getSchema()).encode(alert).array();
        } catch (IOException e) {
          throw new AlertCodecException("cannot re-encode the record of a JSON message", e);
        }
      }
      case AVRO_SINGLE_OBJECT: {
        long written = SchemaFingerprint.read(value);
        if (written != fingerprint) {
          throw decoder.unknown(written);
        }
        decoder.check(value, SchemaFingerprint.HEADER_LENGTH, schema, format);
        return Arrays.copyOfRange(value, SchemaFingerprint.HEADER_LENGTH, value.length);
      }
      case AVRO_CONTAINER: {
        GenericRecord alert = decoder.decode(value, format, OptionalLong.empty()).alert();
        try {
          return new RawMessageEncoder<GenericRecord>(GenericData.get(), alert.getSchema()).encode(alert).array();
        } catch (IOException e) {
          throw new AlertCodecException("cannot re-encode the record of a container message", e);
        }
      }
      default:
        throw new IllegalStateException(format.toString());
    }
  }

  /**
   * Decodes messages whose writer schemas are found by fingerprint in an Avro {@link SchemaStore}: single-object
   * messages carry it, raw ones need it from outside (the {@link AlertHeaders#SCHEMA_FINGERPRINT} header), container
   * ones hold their schema. Thread-safe.
   */
  public static final class Decoder {
    private final SchemaStore writers;
    private final Schema reader;
    private final String whenUnknown;
    private final BinaryMessageDecoder<GenericRecord> singleObject;
    private final Map<Long, RawMessageDecoder<GenericRecord>> rawByFingerprint = new ConcurrentHashMap<>();
    private final long readerFingerprint;
    /** Writer schemas read from Fink message keys, by the key's text (a topic has one or a few). */
    private final Map<String, Schema> keySchemas = new ConcurrentHashMap<>();

    private Decoder(SchemaStore writers, Schema reader, long readerFingerprint, String whenUnknown) {
      this.writers = writers;
      this.reader = reader;
      this.whenUnknown = whenUnknown;
      this.readerFingerprint = readerFingerprint;
      this.singleObject = new BinaryMessageDecoder<>(GenericData.get(), reader, writers);
    }

    /**
     * The alert in a message, and the fingerprint of the schema it was written with: as
     * {@link #decode(byte[], MessageFormat, OptionalLong)}, but a Fink message's writer schema is read from its key.
     *
     * @param key the message key (the writer schema of a Fink message), may be null for the other framings
     */
    public DecodedAlert decode(byte[] key, byte[] value, MessageFormat format, OptionalLong writerFingerprint) {
      if (format != MessageFormat.FINK) {
        return decode(value, format, writerFingerprint);
      }
      if (!MessageFormats.isSchemaKey(key)) {
        throw new AlertCodecException("fink message without its schema as key (the key is "
            + (key == null ? "empty" : key.length + " bytes, not an Avro schema") + ")");
      }
      if (keySchemas.size() > 64) {
        keySchemas.clear(); // a topic has one or a few schemas: this many means keys of many topics, keep it small
      }
      Schema writer = keySchemas.computeIfAbsent(new String(key, java.nio.charset.StandardCharsets.UTF_8), text -> {
        try {
          return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
          throw new AlertCodecException("fink message's key is not a valid Avro schema: " + e.getMessage(), e);
        }
      });
      long fingerprint = SchemaFingerprint.of(writer);
      try {
        check(value, 0, writer, format);
        RawMessageDecoder<GenericRecord> raw = rawByFingerprint.computeIfAbsent(fingerprint,
            f -> new RawMessageDecoder<>(GenericData.get(), writer, reader == null ? writer : reader));
        return new DecodedAlert(raw.decode(new ArrayInput(value), null), fingerprint);
      } catch (RuntimeException e) {
        if (e instanceof AlertCodecException codecException) {
          throw codecException;
        }
        throw new AlertCodecException("cannot decode a fink message of " + value.length + " bytes: " + e, e);
      }
    }

    /**
     * The alert in a message value, and the fingerprint of the schema it was written with.
     *
     * @param writerFingerprint the writer schema of a raw or JSON message (the {@link AlertHeaders#SCHEMA_FINGERPRINT}
     *     header); ignored for the other framings. A Fink message's writer schema is its key: use
     *     {@link #decode(byte[], byte[], MessageFormat, OptionalLong)}, else it is found by this fingerprint.
     */
    public DecodedAlert decode(byte[] value, MessageFormat format, OptionalLong writerFingerprint) {
      try {
        switch (format) {
          case AVRO_SINGLE_OBJECT: {
            long fingerprint = SchemaFingerprint.read(value);
            check(value, SchemaFingerprint.HEADER_LENGTH, writer(fingerprint), format);
            return new DecodedAlert(singleObject.decode(new ArrayInput(value), null), fingerprint);
          }
          case AVRO_RAW:
          case FINK: {
            long fingerprint = writerFingerprint.orElseThrow(() -> new AlertCodecException(
                format.label() + " message without its writer schema's fingerprint (header "
                + AlertHeaders.SCHEMA_FINGERPRINT + "): its schema is unknown"));
            Schema writer = writer(fingerprint);
            check(value, 0, writer, format);
            RawMessageDecoder<GenericRecord> raw = rawByFingerprint.computeIfAbsent(fingerprint,
                f -> new RawMessageDecoder<>(GenericData.get(), writer, reader == null ? writer : reader));
            return new DecodedAlert(raw.decode(new ArrayInput(value), null), fingerprint);
          }
          case AVRO_CONTAINER:
            return readContainer(value);
          case JSON: {
            long fingerprint = writerFingerprint.isPresent() ? writerFingerprint.getAsLong() : readerFingerprint;
            if (writerFingerprint.isEmpty() && reader == null) {
              throw new AlertCodecException("JSON message without its writer schema's fingerprint (header "
                  + AlertHeaders.SCHEMA_FINGERPRINT + "): give the schema to read it with");
            }
            Schema writer = writer(fingerprint);
            GenericRecord alert = AlertJson.read(value, writer);
            if (reader != null && writer != reader && fingerprint != readerFingerprint) {
              byte[] binary = new RawMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(alert).array();
              alert = rawByFingerprint.computeIfAbsent(fingerprint,
                  f -> new RawMessageDecoder<>(GenericData.get(), writer, reader)).decode(binary);
            }
            return new DecodedAlert(alert, fingerprint);
          }
          default:
            throw new IllegalStateException(format.toString());
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof AlertCodecException codecException) {
          throw codecException;
        }
        throw new AlertCodecException("cannot decode a " + format.label() + " message of " + value.length
            + " bytes: " + e, e);
      }
    }

    private Schema writer(long fingerprint) {
      Schema writer = writers.findByFingerprint(fingerprint);
      if (writer == null && reader != null && fingerprint == readerFingerprint) {
        writer = reader;
      }
      if (writer == null) {
        throw unknown(fingerprint);
      }
      return writer;
    }

    private AlertCodecException unknown(long fingerprint) {
      return new AlertCodecException("message written with schema fingerprint " + SchemaFingerprint.hex(fingerprint)
          + ", which is not known here: " + whenUnknown);
    }

    /**
     * Walks the record from {@code offset} to the end of the value without allocating anything, so that a corrupt
     * length (a string of 2 GB in a message of 300 bytes) fails as an end of input, not as an OutOfMemoryError; and
     * checks that the record ends the value (else it was written with another schema).
     */
    private void check(byte[] value, int offset, Schema writer, MessageFormat format) {
      int length = value.length - offset;
      try {
        if (!walk(value, offset, length, writer)) {
          throw new AlertCodecException(format.label() + " message has " + value.length + " bytes but the record"
              + " ends before; the schema " + writer.getFullName() + " is not the one it was written with");
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof AlertCodecException codecException) {
          throw codecException;
        }
        throw new AlertCodecException("corrupt " + format.label() + " message of " + value.length + " bytes (not a "
            + writer.getFullName() + " record: " + e + ")", e);
      }
    }

    /** Whether a whole record of {@code writer} ends exactly at {@code offset + length}. */
    private static boolean walk(byte[] value, int offset, int length, Schema writer) throws IOException {
      BinaryDecoder check = DecoderFactory.get().binaryDecoder(value, offset, length, null);
      GenericDatumReader.skip(writer, check);
      return check.isEnd();
    }

    /** Reads the first record of a container message, checking lengths before Avro allocates for them. */
    private DecodedAlert readContainer(byte[] value) throws IOException {
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
        Schema writer = stream.getSchema();
        BinaryDecoder walk = DecoderFactory.get().binaryDecoder(bytes, null);
        GenericDatumReader.skip(writer, walk);
        if (count == 1 && !walk.isEnd()) {
          throw new AlertCodecException("container message's block has " + bytes.length + " bytes but its one"
              + " record ends before: it is corrupt");
        }
        GenericRecord alert = new GenericDatumReader<GenericRecord>(writer, reader == null ? writer : reader)
            .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        return new DecodedAlert(alert, SchemaFingerprint.of(writer));
      }
    }
  }

  /** A byte array as an input stream, without {@link ByteArrayInputStream}'s locks (Avro reads it byte by byte). */
  private static final class ArrayInput extends InputStream {
    private final byte[] bytes;
    private int position;

    ArrayInput(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int n = Math.min(length, bytes.length - position);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, position, into, offset, n);
      position += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, bytes.length - position));
      position += (int) skipped;
      return skipped;
    }

    @Override
    public int available() {
      return bytes.length - position;
    }
  }
}
