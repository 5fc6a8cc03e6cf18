package org.fink.distribution.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.schema.SurveySchemaCheck;

/**
 * Turns survey Kafka messages into bare Avro records, on the executors: a ZTF message is an Avro object container file
 * (its schema inside, one or more alerts), a Rubin message is in Confluent wire format ({@code 0x00}, a 4-byte
 * big-endian schema id, one Avro record). Each alert becomes one row: where the message was, its writer schema's
 * fingerprint, the schema JSON (on the first row of that schema in a partition only, so that the driver can collect
 * the few writer schemas cheaply), and the record's Avro binary body. A message that is not a readable alert of the
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
      .add("error", DataTypes.StringType);

  private final Survey survey;
  private final Map<Integer, String> wireSchemas;
  private transient Map<Integer, Schema> parsed;

  /**
   * @param wireSchemas the survey's schema versions by wire-format schema id (704 = 7.4), as JSON; empty for ZTF
   */
  SurveyMessageDecoder(Survey survey, Map<Integer, String> wireSchemas) {
    this.survey = survey;
    this.wireSchemas = new HashMap<>(wireSchemas);
  }

  /** Input columns: topic, partition, offset, timestamp, value. */
  @Override
  public Iterator<Row> call(Iterator<Row> messages) {
    Set<Long> schemaSent = new HashSet<>();
    return new Iterator<>() {
      private Iterator<Row> pending = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!pending.hasNext() && messages.hasNext()) {
          pending = decode(messages.next(), schemaSent).iterator();
        }
        return pending.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return pending.next();
      }
    };
  }

  private List<Row> decode(Row message, Set<Long> schemaSent) {
    byte[] value = message.isNullAt(4) ? new byte[0] : (byte[]) message.get(4);
    try {
      List<Row> rows = new ArrayList<>();
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
      return List.of(row(message, 0L, null, value, e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return List.of(row(message, 0L, null, value, "is damaged (truncated or corrupt): " + e));
    }
  }

  private void container(Row message, byte[] value, Set<Long> schemaSent, List<Row> rows) throws IOException, Bad {
    try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new ByteArrayInputStream(value),
        new GenericDatumReader<>())) {
      Schema writer = stream.getSchema();
      Optional<String> problem = SurveySchemaCheck.problem(survey, writer);
      if (problem.isPresent()) {
        throw new Bad("is not a " + AlertFile.surveyName(survey) + " alert: " + problem.get());
      }
      long fingerprint = SchemaNormalization.parsingFingerprint64(writer);
      GenericDatumWriter<GenericRecord> datumWriter = new GenericDatumWriter<>(writer);
      List<byte[]> bodies = new ArrayList<>();
      ByteArrayOutputStream out = new ByteArrayOutputStream(value.length);
      BinaryEncoder encoder = null;
      GenericRecord reuse = null;
      while (stream.hasNext()) {
        reuse = stream.next(reuse);
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        datumWriter.write(reuse, encoder);
        encoder.flush();
        bodies.add(out.toByteArray());
      }
      if (bodies.isEmpty()) {
        throw new Bad("holds no alert");
      }
      for (byte[] body : bodies) {
        rows.add(row(message, fingerprint, schemaSent.add(fingerprint) ? writer.toString() : null, body, null));
      }
    }
  }

  private void wire(Row message, byte[] value, Set<Long> schemaSent, List<Row> rows) throws IOException, Bad {
    int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
    Schema writer = wireSchema(schemaId);
    if (writer == null) {
      throw new Bad("is a wire-format message of schema id " + schemaId + ", which the schema folder lacks");
    }
    Optional<String> problem = SurveySchemaCheck.problem(survey, writer);
    if (problem.isPresent()) {
      throw new Bad("is a wire-format message of schema id " + schemaId + ", not a "
          + AlertFile.surveyName(survey) + " alert: " + problem.get());
    }
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
    try {
      new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new Bad("is damaged (truncated or corrupt): its body does not decode with schema id " + schemaId
          + ": " + e);
    }
    if (!decoder.isEnd()) {
      throw new Bad("is damaged: bytes are left after its alert record (schema id " + schemaId + ")");
    }
    long fingerprint = SchemaNormalization.parsingFingerprint64(writer);
    byte[] body = java.util.Arrays.copyOfRange(value, 5, value.length);
    rows.add(row(message, fingerprint, schemaSent.add(fingerprint) ? writer.toString() : null, body, null));
  }

  private Schema wireSchema(int schemaId) {
    if (parsed == null) {
      parsed = new HashMap<>();
    }
    String json = wireSchemas.get(schemaId);
    return json == null ? null : parsed.computeIfAbsent(schemaId, id -> new Schema.Parser().parse(json));
  }

  private static Row row(Row message, long fingerprint, String schema, byte[] body, String error) {
    return RowFactory.create(message.get(0), message.get(1), message.get(2), message.get(3), fingerprint, schema,
        body, error);
  }

  /** A message that is not a readable alert of the survey; the reason, without the message's place. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String reason) {
      super(reason, null, false, false);
    }
  }
}
