package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Survey files into the science database: Rubin wire and container files of two schema versions; idempotence. */
class SurveyIngestTest {
  @TempDir Path work;
  final SparkSession spark = TestSpark.session();

  @Test
  void rubinWireAndContainerFilesOfTwoVersionsMakeOneTable() throws Exception {
    Path lsst = SharedData.require("lsst");
    Path alerts = Files.createDirectories(work.resolve("rubin"));
    for (Path source : SurveyIngest.alertFiles(lsst.resolve("alerts"))) {
      Files.copy(source, alerts.resolve(source.getFileName()));
    }
    Files.writeString(alerts.resolve("MANIFEST.tsv"), "ignored\n");
    SchemaFolder schemas = new SchemaFolder(lsst.resolve("schema"));
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");

    SurveyIngest.Report report = new SurveyIngest(spark, Survey.RUBIN, schemas).ingestReport(alerts, db);
    assertEquals(4, report.files());
    assertEquals(4, report.alertsRead());
    assertEquals(4, report.alertsStored());

    // every wire message's fields, decoded by plain Avro with the 7.4 schema, are in the table
    Schema v74 = schemas.forSchemaId(704);
    Map<Long, Row> rows = new HashMap<>();
    for (Row row : db.read().select("diaSource.diaSourceId", "diaSource.midpointMjdTai", "alertId",
        "cutoutScience", "night").collectAsList()) {
      rows.put(row.getLong(0), row);
    }
    for (Path wire : SurveyIngest.alertFiles(lsst.resolve("alerts/kafka-wire"))) {
      byte[] bytes = Files.readAllBytes(wire);
      GenericRecord alert = new GenericDatumReader<GenericRecord>(v74)
          .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
      GenericRecord source = (GenericRecord) alert.get("diaSource");
      Row row = rows.get((Long) source.get("diaSourceId"));
      assertNotNull(row, "wire alert " + wire.getFileName() + " is in the science database");
      assertEquals(alert.get("alertId"), row.get(2));
      assertEquals(source.get("midpointMjdTai"), row.get(1));
      java.nio.ByteBuffer cutout = (java.nio.ByteBuffer) alert.get("cutoutScience");
      byte[] expected = new byte[cutout.remaining()];
      cutout.duplicate().get(expected);
      assertArrayEquals(expected, (byte[]) row.get(3), "cutout bytes");
      assertEquals("2016-03-07", String.valueOf(row.get(4)), "night from midpointMjdTai");
    }
    assertEquals(4, rows.size(), "the 9.0 container alert is there too");

    SurveyIngest.Report again = new SurveyIngest(spark, Survey.RUBIN, schemas).ingestReport(alerts, db);
    assertEquals(0, again.alertsStored(), "ingesting the same files again stores nothing");
    assertEquals(4, db.read().count());
  }

  @Test
  void reingestingZtfFilesDoesNotDuplicateAlerts() throws Exception {
    Path alerts = work.resolve("ztf");
    SyntheticAlerts generator = SyntheticAlerts.ztf(5);
    generator.writeContainerFiles(alerts, 20, 1);
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    assertEquals(20, new SurveyIngest(spark).ingestReport(alerts, db).alertsStored());
    assertEquals(0, new SurveyIngest(spark).ingestReport(alerts, db).alertsStored());
    generator.writeContainerFiles(alerts, 10, 1);
    SurveyIngest.Report report = new SurveyIngest(spark).ingestReport(alerts, db);
    assertEquals(30, report.alertsRead());
    assertEquals(10, report.alertsStored(), "only the new alerts of the folder are stored");
    assertEquals(30, db.read().select("candid").distinct().count());
    assertEquals(30, db.read().count());
  }

  @Test
  void anAlertTwiceInOneIngestIsStoredOnce() throws Exception {
    Path alerts = work.resolve("ztf");
    java.util.List<Path> files = SyntheticAlerts.ztf(7).writeContainerFiles(alerts.resolve("night"), 10, 5);
    Files.createDirectories(alerts.resolve("again"));
    Files.copy(files.get(0), alerts.resolve("again").resolve("copy.avro")); // its 5 alerts twice in the folder
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    SurveyIngest.Report report = new SurveyIngest(spark).ingestReport(alerts, db);
    assertEquals(15, report.alertsRead());
    assertEquals(10, report.alertsStored());
    assertEquals(10, db.read().select("candid").distinct().count());
    assertEquals(10, db.read().count());
  }

  @Test
  void wireMessagesNeedTheSchemaFolder() throws Exception {
    Path wire = SurveyIngest.alertFiles(SharedData.require("lsst/alerts/kafka-wire")).get(0);
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SurveyIngest(spark, Survey.RUBIN, null).ingest(wire, db));
    assertTrue(e.getMessage().contains("--schemas"), e.getMessage());
    assertTrue(e.getMessage().contains("704"), e.getMessage());
  }
}
