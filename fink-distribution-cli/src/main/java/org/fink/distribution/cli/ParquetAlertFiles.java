package org.fink.distribution.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.kafka.AlertDownload;

/**
 * The Parquet files of {@code fink consume --output DIR --format parquet}: each file's alerts go through a hidden Avro
 * file that a local Spark writes as one Parquet file (nested records as structs, the cutouts as binary), which
 * {@link AlertDownload} then fsyncs and renames. Spark, pyarrow and DuckDB read the folder with {@code night} as a
 * partition column. Each file has the schema of its alerts; {@code <topic>/_common_metadata} has the merged schema of
 * every version downloaded ({@link #topicSchema}), so {@code spark.read.parquet("alerts/<topic>")} sees every field of
 * every version without options, null where a version lacks it.
 *
 * <pre>{@code
 * new AlertDownload(Path.of("alerts"), new ParquetAlertFiles(spark));
 * }</pre>
 */
final class ParquetAlertFiles implements AlertDownload.FileWriter {
  /** The summary file whose schema Spark takes for a whole folder (parquet-hadoop's name). */
  static final String COMMON_METADATA = "_common_metadata";
  private final SparkSession spark;

  ParquetAlertFiles(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public String extension() {
    return "parquet";
  }

  @Override
  public void write(List<GenericRecord> alerts, Path file) throws IOException {
    writeParquet(alerts, alerts.get(0).getSchema(), file);
  }

  /**
   * Writes {@code <topic>/_common_metadata}: a Parquet file without rows whose schema is {@code merged}, where Spark
   * takes a folder's schema from (before any data file, which would give only its own version's fields).
   */
  @Override
  public void topicSchema(Path topicFolder, Schema merged) throws IOException {
    Path target = topicFolder.resolve(COMMON_METADATA);
    Path temporary = topicFolder.resolve("." + COMMON_METADATA + ".tmp");
    Files.createDirectories(topicFolder);
    writeParquet(List.of(), merged, temporary);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** {@code alerts} (maybe none) of {@code schema} as one Parquet file at {@code file}, through Spark's Avro reader. */
  private void writeParquet(List<GenericRecord> alerts, Schema schema, Path file) throws IOException {
    Path work = Files.createTempDirectory(file.getParent(), ".parquet-");
    try {
      Path avro = work.resolve("alerts.avro");
      try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
        writer.create(schema, avro.toFile());
        for (GenericRecord a : alerts) {
          writer.append(a);
        }
      }
      Path out = work.resolve("out");
      spark.read().format("avro").load(avro.toString()).coalesce(1).write().parquet(out.toString());
      Path part;
      try (Stream<Path> files = Files.list(out)) {
        part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
            .orElseThrow(() -> new IOException("Spark wrote no Parquet file in " + out));
      }
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try (Stream<Path> left = Files.walk(work)) {
        for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
