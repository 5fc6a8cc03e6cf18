package org.fink.distribution.cli.view;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.codec.AlertJson;

/**
 * An alert as a file to download: an Avro container file holding it with its schema (what the surveys publish, one
 * alert per file), or its JSON ({@link AlertJson}).
 *
 * <pre>{@code
 * Files.write(Path.of("alert.avro"), AlertFiles.avro(alert));
 * }</pre>
 */
public final class AlertFiles {
  private AlertFiles() {}

  /** An Avro container file of {@code alert} alone. */
  public static byte[] avro(GenericRecord alert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(alert.getSchema()))) {
      writer.create(alert.getSchema(), out);
      writer.append(alert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The JSON of {@code alert}. */
  public static byte[] json(GenericRecord alert) {
    return AlertJson.write(alert);
  }
}
