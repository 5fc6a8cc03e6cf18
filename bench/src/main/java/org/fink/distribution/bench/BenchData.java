package org.fink.distribution.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.SurveyIngest;

/**
 * Benchmark data: ZTF-like alerts from the repository's generator (three gzipped cutouts that differ from alert to
 * alert, ~13 previous detections), written as Avro files and ingested into science databases. One generator makes all
 * of them, so alert ids never repeat.
 */
final class BenchData {
  private static final int ALERTS_PER_FILE = 500;

  private final SyntheticAlerts generator = SyntheticAlerts.ztf(20261128L);
  private final SparkSession spark;
  private final Path root;

  BenchData(SparkSession spark, Path root) {
    this.spark = spark;
    this.root = root;
  }

  /** A new science database of {@code alerts} alerts; returns its folder and the mean Avro size of an alert. */
  Db scienceDb(String name, int alerts) throws IOException {
    Path files = root.resolve(name + "-alerts");
    generator.writeContainerFiles(files, alerts, ALERTS_PER_FILE);
    long bytes = folderBytes(files);
    Path db = root.resolve(name);
    new SurveyIngest(spark).ingest(files, new ScienceDb(spark, db.toString(), "parquet"));
    deleteRecursively(files);
    return new Db(db, alerts, bytes / alerts);
  }

  /**
   * A new science database of {@code alerts} alerts stored in about {@code files} Parquet files (ingested in that
   * many parts), so that a distribution can take them in several micro-batches.
   */
  Db scienceDbInFiles(String name, int alerts, int files) throws IOException {
    Path db = root.resolve(name);
    long bytes = 0;
    for (int part = 0; part < files; part++) {
      Path folder = root.resolve(name + "-alerts-" + part);
      generator.writeContainerFiles(folder, alerts / files, ALERTS_PER_FILE);
      bytes += folderBytes(folder);
      new SurveyIngest(spark).ingest(folder, new ScienceDb(spark, db.toString(), "parquet"));
      deleteRecursively(folder);
    }
    return new Db(db, alerts, bytes / alerts);
  }

  /** {@code alerts} new alerts as Avro container files in a new folder (kept: the ingest measurement reads them). */
  Path alertFiles(String name, int alerts) throws IOException {
    return IngestBench.alertFiles(generator, root.resolve(name), alerts);
  }

  /**
   * A science database of {@code copies} times the alerts of {@code db}: each of its Parquet files (and checksum)
   * copied that many times under a new name, in the same night folders. The alerts repeat, which the distribution
   * does not mind (it publishes what it reads): a large database for the memory figure without generating and
   * ingesting it again.
   */
  Db copies(Db db, String name, int copies) throws IOException {
    Path target = root.resolve(name);
    try (Stream<Path> walk = Files.walk(db.path())) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        Path relative = db.path().relativize(file);
        String fileName = file.getFileName().toString();
        Files.createDirectories(target.resolve(relative).getParent());
        if (!fileName.endsWith(".parquet") && !fileName.endsWith(".parquet.crc")) {
          Files.copy(file, target.resolve(relative));
          continue;
        }
        for (int copy = 0; copy < copies; copy++) {
          String copied = fileName.replaceFirst("\\.parquet(\\.crc)?$", "-copy" + copy + ".parquet$1");
          Files.copy(file, target.resolve(relative).resolveSibling(copied));
        }
      }
    }
    return new Db(target, db.alerts() * copies, db.meanAlertBytes());
  }

  /** A science database and its alerts' mean size. */
  record Db(Path path, int alerts, long meanAlertBytes) {}

  static long parquetFiles(Path db) throws IOException {
    try (Stream<Path> walk = Files.walk(db)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  static long folderBytes(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
