package org.fink.distribution.spark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.fink.distribution.FinkException;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.schema.SurveySchemaCheck;

/**
 * One survey alert file, recognized by its first bytes: an Avro object container file (ZTF, Rubin archives: schema
 * inside, one or many alerts) or a Kafka message value in Confluent wire format (Rubin's stream: {@code 0x00}, a 4-byte
 * big-endian schema id, one Avro record).
 *
 * <p>{@link #inspect} reads the whole file before Spark does: a file that is not an alert of the survey (a foreign
 * schema, an alert of another survey), truncated, or whose records do not decode is refused with its reason
 * ({@link Bad}), so that ingest can name it, instead of Spark failing in the middle of its job. Each record is
 * read down to its alert id ({@link AlertIdProjection}: every other field checked and skipped), so that ingest
 * knows the ids of the file without a Spark job.
 *
 * @param alertIds the alert id of each record, in file order
 */
record AlertFile(Path path, Kind kind, Schema containerSchema, long[] alertIds, int schemaId) {
  /** The largest wire-format message read: Rubin's alerts weigh about 100 KB. */
  static final long MAX_WIRE_BYTES = 64L << 20;

  enum Kind { CONTAINER, WIRE }

  /** How many alerts the file holds. */
  long alerts() {
    return alertIds.length;
  }

  /** A file that is not a readable alert file of the survey; the reason says why, without the file name. */
  static final class Bad extends Exception {
    Bad(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Reads a file whole: its kind, its schema (container) or schema id (wire), and every record, checked against the
   * survey.
   *
   * @param wireSchemas the survey's schema versions (null: a wire-format file is an error of the whole ingest)
   * @throws Bad when the file is not a readable alert file of {@code survey}
   */
  static AlertFile inspect(Path path, Survey survey, SchemaFolder wireSchemas) throws Bad {
    byte[] head = new byte[5];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new Bad("cannot be read: " + e.getMessage());
    }
    if (n >= 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
      return container(path, survey);
    }
    if (n == 5 && head[0] == 0) {
      int schemaId = ByteBuffer.wrap(head, 1, 4).getInt();
      if (wireSchemas == null) {
        throw new IllegalArgumentException(path + " is a wire-format message (schema id " + schemaId
            + "): give the survey's schema folder (--schemas DIR) to decode it");
      }
      return wire(path, schemaId, survey, wireSchemas);
    }
    throw new Bad(n == 0 ? "is empty" : "is neither an Avro container file nor a Confluent wire-format message"
        + " (0x00 + schema id + Avro record)");
  }

  private static AlertFile container(Path path, Survey survey) throws Bad {
    try {
      if (!endsWithItsSyncMarker(path)) { // Avro's reader takes a cut block for the end of the file
        throw new Bad("is damaged (truncated): it does not end with the sync marker of its header");
      }
    } catch (IOException | RuntimeException e) {
      throw new Bad("is not a readable Avro container file: " + reason(e));
    }
    Schema schema = null;
    LongStream.Builder ids = LongStream.builder();
    long alerts = 0;
    GenericDatumReader<GenericRecord> datum = new GenericDatumReader<>();
    try (InputStream in = Files.newInputStream(path);
        DataFileStream<GenericRecord> stream = new DataFileStream<>(in, datum)) {
      schema = stream.getSchema();
      Optional<String> problem = SurveySchemaCheck.problem(survey, schema);
      if (problem.isPresent()) {
        throw new Bad("is not a " + surveyName(survey) + " alert file: " + problem.get());
      }
      datum.setExpected(AlertIdProjection.of(schema, survey.alertIdField()));
      GenericRecord reuse = null;
      while (stream.hasNext()) {
        reuse = stream.next(reuse);
        ids.add(alertId(reuse, survey));
        alerts++;
      }
    } catch (IOException | RuntimeException e) {
      throw new Bad((schema == null ? "is not a readable Avro container file: "
          : "is damaged (truncated or corrupt) after " + alerts + " readable alert(s): ") + reason(e));
    }
    if (alerts == 0) {
      throw new Bad("holds no alert");
    }
    return new AlertFile(path, Kind.CONTAINER, schema, ids.build().toArray(), 0);
  }

  private static AlertFile wire(Path path, int schemaId, Survey survey, SchemaFolder wireSchemas) throws Bad {
    Schema writer;
    try {
      writer = wireSchemas.forSchemaId(schemaId);
    } catch (FinkException e) {
      throw new Bad("is a wire-format message of schema id " + schemaId + ", which the schema folder lacks ("
          + e.getMessage() + ")");
    }
    Optional<String> problem = SurveySchemaCheck.problem(survey, writer);
    if (problem.isPresent()) {
      throw new Bad("is a wire-format message of schema id " + schemaId + ", not a " + surveyName(survey)
          + " alert: " + problem.get());
    }
    long id;
    try {
      if (Files.size(path) > MAX_WIRE_BYTES) {
        throw new Bad("is larger than " + (MAX_WIRE_BYTES >> 20) + " MiB: not one alert message");
      }
      byte[] bytes = Files.readAllBytes(path);
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
      id = alertId(new GenericDatumReader<GenericRecord>(writer, AlertIdProjection.of(writer,
          survey.alertIdField())).read(null, decoder), survey);
      if (!decoder.isEnd()) {
        throw new Bad("is damaged: bytes are left after its alert record (schema id " + schemaId + ")");
      }
    } catch (IOException | RuntimeException e) {
      throw new Bad("is damaged (truncated or corrupt): its body does not decode with schema id " + schemaId + ": "
          + reason(e));
    }
    return new AlertFile(path, Kind.WIRE, null, new long[] {id}, schemaId);
  }

  /** The alert id of a record read with the {@link AlertIdProjection}. */
  private static long alertId(GenericRecord projected, Survey survey) {
    Object value = projected;
    for (String name : survey.alertIdField().split("\\.")) {
      value = ((GenericRecord) value).get(name);
    }
    return ((Number) value).longValue();
  }

  /** A whole container file ends with the 16-byte sync marker that closes its header and each block. */
  private static boolean endsWithItsSyncMarker(Path path) throws IOException {
    byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      in.skipNBytes(DataFileConstants.MAGIC.length);
      BinaryDecoder header = DecoderFactory.get().directBinaryDecoder(in, null);
      for (long n = header.readMapStart(); n != 0; n = header.mapNext()) {
        for (long i = 0; i < n; i++) {
          header.skipString();
          header.skipBytes();
        }
      }
      header.readFixed(sync);
    }
    byte[] end = new byte[DataFileConstants.SYNC_SIZE];
    try (SeekableByteChannel channel = Files.newByteChannel(path)) {
      channel.position(channel.size() - end.length);
      ByteBuffer buffer = ByteBuffer.wrap(end);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // read the last bytes whole
      }
    }
    return Arrays.equals(sync, end);
  }

  static String surveyName(Survey survey) {
    return survey == Survey.ZTF ? "ZTF" : "Rubin";
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getMessage() + ")";
    }
    return message;
  }
}
