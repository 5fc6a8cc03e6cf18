package org.fink.distribution.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.schema.SurveySchemaCheck;

/**
 * Turns survey Kafka messages into bare Avro records, on the executors: a ZTF message is an Avro object container file
 * (its schema inside, one or more alerts), a Rubin message is in Confluent wire format ({@code 0x00}, a 4-byte
 * big-endian schema id, one Avro record). Each alert becomes one row: where the message was, its writer schema's
 * fingerprint, the schema JSON (on the first row of that schema in a partition only, so that the driver can collect
 * the few writer schemas cheaply), the record's Avro binary body, and its alert id. Each record is checked by reading
 * it down to its alert id (every other field skipped, a projection of the writer schema): no object is built for
 * the cutouts. A message that is not a readable alert of the
 * survey becomes one row with its {@code error} and its original bytes, never an exception.
 *
 * <pre>{@code
 * Dataset<Row> decoded = kafkaRows.select("topic", "partition", "offset", "timestamp", "value")
 *     .mapPartitions(new SurveyMessageDecoder(Survey.RUBIN, schemasById), Encoders.row(SurveyMessageDecoder.OUTPUT));
 * }</pre>
 */
final class SurveyMessageDecoder implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  /** The rows it returns. */
  static final StructType OUTPUT = new StructType()
      .add("topic", DataTypes.StringType)
      .add("partition", DataTypes.IntegerType)
      .add("offset", DataTypes.LongType)
      .add("timestamp", DataTypes.TimestampType)
      .add("fingerprint", DataTypes.LongType)
      .add("schema", DataTypes.StringType)
      .add("body", DataTypes.BinaryType)
      .add("error", DataTypes.StringType)
      .add("alertId", DataTypes.LongType);

  private final Survey survey;
  private final Map<Integer, String> wireSchemas;
  private final String registry;
  private transient Map<Integer, Schema> parsed;
  /**
   * Container writer schemas by their JSON's bytes: a survey sends a few, each message repeats one. Compared as bytes,
   * not as a String: ZTF's schema JSON weighs tens of KB, and decoding, hashing and comparing it as a String for
   * every message was about half of the decoder's own CPU time (bench/README.md, "Ingest").
   */
  private transient List<Map.Entry<byte[], Schema>> containerSchemas;
  /** Per writer schema: a reader of the alert id only, which checks and skips every other field. */
  private transient Map<Schema, GenericDatumReader<GenericRecord>> idReaders;
  /** Per writer schema (the cached instances): its fingerprint and survey check. */
  private transient Map<Schema, Checked> checkedSchemas;

  /**
   * @param wireSchemas the survey's schema versions by wire-format schema id (704 = 7.4), as JSON; empty for ZTF
   */
  SurveyMessageDecoder(Survey survey, Map<Integer, String> wireSchemas) {
    this(survey, wireSchemas, null);
  }

  /**
   * @param registry a Confluent schema registry's URL, asked for the schema ids {@code wireSchemas} lacks
   *     ({@code GET registry/schemas/ids/ID}); null: none
   */
  SurveyMessageDecoder(Survey survey, Map<Integer, String> wireSchemas, String registry) {
    this.survey = survey;
    this.wireSchemas = new HashMap<>(wireSchemas);
    this.registry = registry == null || registry.isBlank() ? null : registry.strip().replaceAll("/+$", "");
  }

  /** Input columns: topic, partition, offset, timestamp, value. */
  @Override
  public Iterator<Row> call(Iterator<Row> messages) {
    return decoded(messages, m -> new Object[] {m.get(0), m.get(1), m.get(2), m.get(3)},
        m -> m.isNullAt(4) ? new byte[0] : (byte[]) m.get(4), RowFactory::create);
  }

  /**
   * Like {@link #call}, on Spark's binary rows (input columns topic, partition, offset, timestamp, value; output
   * {@link #OUTPUT}): no conversion of each ~45-KB message to an external {@link Row} and back, which with the copy
   * of the encoded row was a quarter of the check's CPU time (bench/README.md, "Ingest"). Each output row is a new
   * {@code UnsafeRow}: one object and its bytes, which a block cache sizes cheaply (a generic row's object graph cost
   * the cache's size estimates more than the conversions saved).
   */
  Iterator<InternalRow> internalRows(Iterator<InternalRow> messages) {
    UnsafeProjection unsafe = UnsafeProjection.create(OUTPUT);
    return decoded(messages,
        m -> new Object[] {m.getUTF8String(0).clone(), m.getInt(1), m.getLong(2), m.isNullAt(3) ? null : m.getLong(3)},
        m -> m.isNullAt(4) ? new byte[0] : m.getBinary(4),
        values -> {
          values[5] = values[5] == null ? null : UTF8String.fromString((String) values[5]);
          values[7] = values[7] == null ? null : UTF8String.fromString((String) values[7]);
          return unsafe.apply(new GenericInternalRow(values)).copy();
        });
  }

  /** Each message's rows: its place (topic, partition, offset, timestamp) and value, decoded; rows made by {@code out}. */
  private <I, O> Iterator<O> decoded(Iterator<I> messages, Function<I, Object[]> place, Function<I, byte[]> value,
      Function<Object[], O> out) {
    Set<Long> schemaSent = new HashSet<>();
    return new Iterator<>() {
      private Iterator<Object[]> pending = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!pending.hasNext() && messages.hasNext()) {
          I message = messages.next();
          pending = decode(place.apply(message), value.apply(message), schemaSent).iterator();
        }
        return pending.hasNext();
      }

      @Override
      public O next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return out.apply(pending.next());
      }
    };
  }

  private List<Object[]> decode(Object[] message, byte[] value, Set<Long> schemaSent) {
    try {
      List<Object[]> rows = new ArrayList<>();
      if (value.length >= 4 && value[0] == 'O' && value[1] == 'b' && value[2] == 'j' && value[3] == 1) {
        container(message, value, schemaSent, rows);
      } else if (value.length >= 5 && value[0] == 0) {
        wire(message, value, schemaSent, rows);
      } else {
        throw new Bad(value.length == 0 ? "is empty" : "is neither an Avro container file nor a Confluent"
            + " wire-format message (0x00 + schema id + Avro record)");
      }
      return rows;
    } catch (Bad e) {
      return List.<Object[]>of(row(message, 0L, null, value, e.getMessage(), null));
    } catch (RegistryUnavailable e) {
      throw e; // not the message's fault: the batch fails, and is run again from the checkpoint
    } catch (IOException | RuntimeException e) {
      return List.<Object[]>of(row(message, 0L, null, value, "is damaged (truncated or corrupt): " + e, null));
    }
  }

  /**
   * An Avro object container file: its header read here (the schema parsed once per distinct JSON), each block's
   * records checked (decoded down to the alert id, every other field skipped) and split. A block of one record
   * without compression is that record's body as it is; other blocks are re-encoded record by record.
   */
  private void container(Object[] message, byte[] value, Set<Long> schemaSent, List<Object[]> rows) throws IOException, Bad {
    BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, 4, value.length - 4, null);
    Map<String, byte[]> meta = new HashMap<>();
    for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
      for (long i = 0; i < n; i++) {
        meta.put(in.readString(), in.readBytes(null).array());
      }
    }
    byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
    in.readFixed(sync);
    byte[] schemaJson = meta.get(DataFileConstants.SCHEMA);
    if (schemaJson == null) {
      throw new Bad("is not a readable Avro container file: its header has no schema");
    }
    byte[] codec = meta.get(DataFileConstants.CODEC);
    if (codec != null && !DataFileConstants.NULL_CODEC.equals(new String(codec, StandardCharsets.UTF_8))) {
      containerWithCodec(message, value, schemaSent, rows);
      return;
    }
    Schema writer = containerSchema(schemaJson);
    Optional<String> problem = checked(writer).problem();
    if (problem.isPresent()) {
      throw new Bad("is not a " + AlertFile.surveyName(survey) + " alert: " + problem.get());
    }
    long fingerprint = checked(writer).fingerprint();
    GenericDatumReader<GenericRecord> ids = idReader(writer);
    List<Object[]> found = new ArrayList<>();
    byte[] blockSync = new byte[DataFileConstants.SYNC_SIZE];
    while (!in.isEnd()) {
      long count = in.readLong();
      long size = in.readLong();
      if (count < 0 || size < 0 || size > value.length) {
        throw new Bad("is damaged (truncated or corrupt): a block of " + count + " records, " + size + " bytes");
      }
      byte[] block = new byte[(int) size];
      in.readFixed(block);
      in.readFixed(blockSync);
      if (!java.util.Arrays.equals(sync, blockSync)) {
        throw new Bad("is damaged (truncated or corrupt): a block does not end with the file's sync marker");
      }
      BinaryDecoder records = DecoderFactory.get().binaryDecoder(block, null);
      if (count == 1) {
        long id = alertId(ids.read(null, records));
        if (!records.isEnd()) {
          throw new Bad("is damaged: bytes are left after its alert record");
        }
        found.add(row(message, fingerprint, null, block, null, id));
      } else {
        GenericDatumReader<GenericRecord> full = new GenericDatumReader<>(writer);
        GenericDatumWriter<GenericRecord> datumWriter = new GenericDatumWriter<>(writer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = null;
        for (long i = 0; i < count; i++) {
          GenericRecord record = full.read(null, records);
          out.reset();
          encoder = EncoderFactory.get().binaryEncoder(out, encoder);
          datumWriter.write(record, encoder);
          encoder.flush();
          byte[] body = out.toByteArray();
          found.add(row(message, fingerprint, null, body, null,
              alertId(ids.read(null, DecoderFactory.get().binaryDecoder(body, null)))));
        }
        if (!records.isEnd()) {
          throw new Bad("is damaged: bytes are left after the " + count + " records of a block");
        }
      }
    }
    if (found.isEmpty()) {
      throw new Bad("holds no alert");
    }
    for (Object[] row : found) {
      rows.add(schemaSent.add(fingerprint) ? withSchema(row, writer) : row);
    }
  }

  /** A compressed container: Avro's own reader decodes it; each record re-encoded. */
  private void containerWithCodec(Object[] message, byte[] value, Set<Long> schemaSent, List<Object[]> rows)
      throws IOException, Bad {
    try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new ByteArrayInputStream(value),
        new GenericDatumReader<>())) {
      Schema writer = stream.getSchema();
      Optional<String> problem = SurveySchemaCheck.problem(survey, writer);
      if (problem.isPresent()) {
        throw new Bad("is not a " + AlertFile.surveyName(survey) + " alert: " + problem.get());
      }
      long fingerprint = SchemaNormalization.parsingFingerprint64(writer);
      GenericDatumWriter<GenericRecord> datumWriter = new GenericDatumWriter<>(writer);
      List<Object[]> found = new ArrayList<>();
      ByteArrayOutputStream out = new ByteArrayOutputStream(value.length);
      BinaryEncoder encoder = null;
      GenericRecord reuse = null;
      while (stream.hasNext()) {
        reuse = stream.next(reuse);
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        datumWriter.write(reuse, encoder);
        encoder.flush();
        found.add(row(message, fingerprint, null, out.toByteArray(), null,
            ((Number) fieldAt(reuse, survey.alertIdField())).longValue()));
      }
      if (found.isEmpty()) {
        throw new Bad("holds no alert");
      }
      for (Object[] row : found) {
        rows.add(schemaSent.add(fingerprint) ? withSchema(row, writer) : row);
      }
    }
  }

  private void wire(Object[] message, byte[] value, Set<Long> schemaSent, List<Object[]> rows) throws IOException, Bad {
    int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
    Schema writer = wireSchema(schemaId);
    Optional<String> problem = checked(writer).problem();
    if (problem.isPresent()) {
      throw new Bad("is a wire-format message of schema id " + schemaId + ", not a "
          + AlertFile.surveyName(survey) + " alert: " + problem.get());
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
    long id;
    try {
      id = alertId(idReader(writer).read(null, decoder));
    } catch (IOException | RuntimeException e) {
      throw new Bad("is damaged (truncated or corrupt): its body does not decode with schema id " + schemaId
          + ": " + e);
    }
    if (!decoder.isEnd()) {
      throw new Bad("is damaged: bytes are left after its alert record (schema id " + schemaId + ")");
    }
    long fingerprint = checked(writer).fingerprint();
    byte[] body = java.util.Arrays.copyOfRange(value, 5, value.length);
    rows.add(row(message, fingerprint, schemaSent.add(fingerprint) ? writer.toString() : null, body, null, id));
  }

  private Schema wireSchema(int schemaId) throws Bad {
    if (parsed == null) {
      parsed = new HashMap<>();
    }
    Schema schema = parsed.get(schemaId);
    if (schema != null) {
      return schema;
    }
    String json = wireSchemas.get(schemaId);
    if (json == null && registry == null) {
      throw new Bad("is a wire-format message of schema id " + schemaId + ", which the schema folder lacks");
    }
    if (json == null) {
      json = fromRegistry(schemaId);
    }
    schema = new Schema.Parser().parse(json);
    parsed.put(schemaId, schema);
    return schema;
  }

  /** The schema of an id, from the registry ({"schema": "..."}); a failure is the message's reason. */
  private String fromRegistry(int schemaId) throws Bad {
    String url = registry + "/schemas/ids/" + schemaId;
    try {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(30))
              .header("Accept", "application/vnd.schemaregistry.v1+json").GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 500) {
        throw new RegistryUnavailable("the schema registry at " + url + " answered HTTP " + response.statusCode()
            + ": the ingest stops rather than set good messages aside; start it again once the registry answers");
      }
      if (response.statusCode() != 200) {
        throw new Bad("is a wire-format message of schema id " + schemaId + ", which neither the schema folder nor"
            + " the schema registry has (" + url + " answered HTTP " + response.statusCode() + ")");
      }
      com.fasterxml.jackson.databind.JsonNode schema = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(response.body()).get("schema");
      if (schema == null || !schema.isTextual()) {
        throw new Bad("is a wire-format message of schema id " + schemaId + ": the schema registry's answer at "
            + url + " holds no \"schema\"");
      }
      return schema.asText();
    } catch (IOException e) {
      throw new RegistryUnavailable("the schema registry at " + url + " does not answer (" + e + "): the ingest"
          + " stops rather than set good messages aside; start it again once the registry answers");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Bad("is a wire-format message of schema id " + schemaId + ": interrupted while asking " + url);
    }
  }

  private Schema containerSchema(byte[] json) {
    if (containerSchemas == null) {
      containerSchemas = new ArrayList<>();
    }
    for (Map.Entry<byte[], Schema> known : containerSchemas) {
      if (java.util.Arrays.equals(known.getKey(), json)) {
        return known.getValue();
      }
    }
    Schema schema = new Schema.Parser().parse(new String(json, StandardCharsets.UTF_8));
    if (containerSchemas.size() < 64) {
      containerSchemas.add(Map.entry(json, schema));
    }
    return schema;
  }

  /** A writer schema's fingerprint and survey check, once per schema (each message repeats one of a few). */
  private record Checked(long fingerprint, Optional<String> problem) {}

  private Checked checked(Schema writer) {
    if (checkedSchemas == null) {
      checkedSchemas = new java.util.IdentityHashMap<>();
    }
    Checked checked = checkedSchemas.get(writer);
    if (checked == null) {
      checked = new Checked(SchemaNormalization.parsingFingerprint64(writer),
          SurveySchemaCheck.problem(survey, writer));
      if (checkedSchemas.size() < 64) {
        checkedSchemas.put(writer, checked);
      }
    }
    return checked;
  }

  private GenericDatumReader<GenericRecord> idReader(Schema writer) {
    if (idReaders == null) {
      idReaders = new java.util.IdentityHashMap<>();
    }
    return idReaders.computeIfAbsent(writer, w -> new GenericDatumReader<>(w, AlertIdProjection.of(w,
        survey.alertIdField())));
  }

  private long alertId(GenericRecord projected) {
    return ((Number) fieldAt(projected, survey.alertIdField())).longValue();
  }

  private static Object fieldAt(GenericRecord record, String path) {
    Object value = record;
    for (String name : path.split("\\.")) {
      value = ((GenericRecord) value).get(name);
    }
    return value;
  }

  private static Object[] withSchema(Object[] row, Schema writer) {
    row[5] = writer.toString();
    return row;
  }

  private static Object[] row(Object[] message, long fingerprint, String schema, byte[] body, String error,
      Long alertId) {
    return new Object[] {message[0], message[1], message[2], message[3], fingerprint, schema, body, error, alertId};
  }

  /** The schema registry does not answer: the batch fails (the query stops) instead of quarantining good messages. */
  static final class RegistryUnavailable extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    RegistryUnavailable(String message) {
      super(message);
    }
  }

  /** A message that is not a readable alert of the survey; the reason, without the message's place. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String reason) {
      super(reason, null, false, false);
    }
  }
}
