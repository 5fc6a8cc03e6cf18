package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.DistributionSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dry run sizes messages in the configured framing: {@code fink} (the default) counts the bare record and the
 * schema key every message carries, {@code avro-single-object} the 10 header bytes and the record, {@code avro-raw} the
 * record alone, the container and JSON framings what they reframe the record into.
 */
class DryRunFramingTest {
  private static final DistributionStream ALL_STREAM = new DistributionStream("all", null, List.of(), List.of(),
      List.of());
  private static final DistributionRules ALL = new DistributionRules(List.of(ALL_STREAM));

  @TempDir static Path work;
  static ScienceDb db;

  @BeforeAll
  static void scienceDb() throws java.io.IOException {
    SparkSession spark = TestSpark.session();
    SyntheticAlerts.ztf(23).writeContainerFiles(work.resolve("alerts"), 4, 1);
    db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);
  }

  @Test
  void eachFramingIsSizedAsTheDistributionWritesIt() {
    DryRun.StreamEstimate singleObject = estimate(MessageFormat.AVRO_SINGLE_OBJECT);
    long passed = singleObject.passed();
    assertTrue(passed > 0, "alerts pass");
    DryRun.StreamEstimate raw = estimate(MessageFormat.AVRO_RAW);
    DryRun.StreamEstimate fink = estimate(MessageFormat.FINK);
    Schema schema = DistributionSchema.derive(ScienceDb.avroSchema(db.schema()), ALL_STREAM);
    long key = AlertCodec.schemaKey(schema).length;

    assertEquals(singleObject.bytes() - 10 * passed, raw.bytes(), "single object: 10 header bytes per message");
    assertEquals(raw.bytes() + key * passed, fink.bytes(), "fink: the bare record and the schema key (" + key
        + " bytes) per message");
    assertEquals(fink.bytes(), DryRun.of(db, ALL).streams().get(0).bytes(), "fink is the default framing");
    assertTrue(estimate(MessageFormat.AVRO_CONTAINER).bytes() > raw.bytes() + key * passed / 2,
        "a container holds the schema too");
    assertTrue(estimate(MessageFormat.JSON).bytes() > raw.bytes(), "JSON is larger than the binary record");
  }

  private static DryRun.StreamEstimate estimate(MessageFormat format) {
    return DryRun.of(db, ALL, null, format).streams().get(0);
  }
}
