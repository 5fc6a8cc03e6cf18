package org.fink.distribution.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * One survey alert file, recognized by its first bytes: an Avro object container file (ZTF, Rubin archives: schema
 * inside, one or many alerts) or a Kafka message value in Confluent wire format (Rubin's stream: {@code 0x00}, a 4-byte
 * big-endian schema id, one Avro record).
 */
record AlertFile(Path path, Kind kind, Schema containerSchema, long alerts, int schemaId) {
  enum Kind { CONTAINER, WIRE }

  /** Reads the header of a file: its kind, and the schema (container) or schema id (wire). */
  static AlertFile inspect(Path path) {
    byte[] head = new byte[5];
    try (InputStream in = Files.newInputStream(path)) {
      int n = in.readNBytes(head, 0, head.length);
      if (n >= 4 && head[0] == 'O' && head[1] == 'b' && head[2] == 'j' && head[3] == 1) {
        return container(path);
      }
      if (n == 5 && head[0] == 0) {
        return new AlertFile(path, Kind.WIRE, null, 1, ByteBuffer.wrap(head, 1, 4).getInt());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read alert file " + path + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(path + " is neither an Avro container file nor a Confluent wire-format"
        + " message (0x00 + schema id + Avro record): not an alert file");
  }

  private static AlertFile container(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path);
        DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
      long alerts = 0;
      while (stream.hasNext()) {
        alerts += stream.getBlockCount();
        stream.nextBlock();
      }
      return new AlertFile(path, Kind.CONTAINER, stream.getSchema(), alerts, 0);
    }
  }
}
