package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema read from the Parquet footers without Spark is the one Spark reads (all schema versions merged, the
 * night partition column last), so {@code rules check} says the same without starting Spark.
 */
class ScienceDbFootersTest {
  @TempDir Path work;

  @Test
  void theFootersGiveTheSchemaSparkReadsForTheRealAlerts() throws IOException {
    Path alerts = SharedData.ztfAlerts();
    SparkSession spark = TestSpark.session();
    String path = work.resolve("science_db").toString();
    ScienceDb db = new ScienceDb(spark, path, "parquet");
    new SurveyIngest(spark).ingest(alerts, db);
    Schema bySpark = ScienceDb.avroSchema(db.schema());
    long start = System.nanoTime();
    Optional<Schema> byFooters = ScienceDbFooters.avroSchema(new Configuration(), path);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(Optional.of(bySpark), byFooters);
    assertEquals(bySpark.toString(true), byFooters.get().toString(true), "field for field, docs included");
    assertTrue(bySpark.getField("candidate").schema().getTypes().get(1).getField("drb") != null,
        "merged: drb exists in the newer schema versions only");
    assertTrue(ScienceDbFooters.exists(new Configuration(), path));
    System.out.printf("schema from %s footers in %.2f s%n", path, seconds);
  }

  @Test
  void noDatabaseOrFilesNotWrittenBySparkTellNothing() throws IOException {
    assertEquals(Optional.empty(), ScienceDbFooters.avroSchema(new Configuration(), work.resolve("none").toString()));
    assertTrue(!ScienceDbFooters.exists(new Configuration(), work.resolve("none").toString()));
    Path foreign = Files.createDirectories(work.resolve("foreign/night=2024-01-01"));
    Files.write(foreign.resolve("part-0.parquet"), new byte[] {1, 2, 3});
    assertEquals(Optional.empty(), ScienceDbFooters.avroSchema(new Configuration(),
        work.resolve("foreign").toString()), "an unreadable file: Spark is asked, and names it");
  }
}
