package org.fink.distribution.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.kafka.AlertDownload;

/**
 * The Parquet files of {@code fink consume --output DIR --format parquet}: each file's alerts go through a hidden Avro
 * file that a local Spark writes as one Parquet file (nested records as structs, the cutouts as binary), which
 * {@link AlertDownload} then fsyncs and renames. Spark, pyarrow and DuckDB read the folder with {@code night} as a
 * partition column.
 *
 * <pre>{@code
 * new AlertDownload(Path.of("alerts"), new ParquetAlertFiles(spark));
 * }</pre>
 */
final class ParquetAlertFiles implements AlertDownload.FileWriter {
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
    Path work = Files.createTempDirectory(file.getParent(), ".parquet-");
    try {
      Path avro = work.resolve("alerts.avro");
      AlertDownload.Format.AVRO.write(alerts, avro);
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
