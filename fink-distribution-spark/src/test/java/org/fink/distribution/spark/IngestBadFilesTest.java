package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and careless alert files among real ZTF alerts: a foreign Avro file, a truncated and a bit-flipped file, a
 * Rubin message with a corrupt body, ZTF files ingested as Rubin. Each is named with its reason and nothing is stored
 * (the default), or it is set aside in the quarantine folder and the others are stored.
 */
class IngestBadFilesTest {
  static final int GOOD = 4;
  @TempDir Path work;
  final SparkSession spark = TestSpark.session();
  Path alerts;
  ScienceDb db;

  @BeforeEach
  void goodAlerts() throws IOException {
    alerts = Files.createDirectories(work.resolve("alerts"));
    for (Path file : SharedData.avroFiles(SharedData.ztfAlerts()).subList(0, GOOD)) {
      Files.copy(file, alerts.resolve(file.getFileName()));
    }
    db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
  }

  @Test
  void aForeignAvroFileIsRefusedByNameAndNothingIsStored() throws IOException {
    Path foreign = writeForeign(alerts.resolve("weather.avro"));
    IngestException e = assertThrows(IngestException.class, () -> new SurveyIngest(spark).ingestReport(alerts, db));
    assertTrue(e.getMessage().contains(foreign.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("the record com.example.Weather, not a ZTF alert"), e.getMessage());
    assertEquals(List.of(foreign), e.badFiles().stream().map(BadAlertFile::file).toList());
    assertNothingStored();
  }

  @Test
  void quarantineSetsBadFilesAsideAndStoresTheOthers() throws IOException {
    Path foreign = writeForeign(alerts.resolve("weather.avro"));
    Path truncated = truncate(alerts.resolve("truncated.avro"));
    Path quarantine = work.resolve("quarantine");
    SurveyIngest.Report report = new SurveyIngest(spark).withBadFiles(BadAlertFiles.quarantineIn(quarantine))
        .ingestReport(alerts, db);
    assertEquals(GOOD, report.files());
    assertEquals(GOOD, report.alertsStored());
    assertEquals(2, report.setAside().size());
    assertFalse(Files.exists(foreign));
    assertFalse(Files.exists(truncated));
    assertTrue(Files.isRegularFile(quarantine.resolve("weather.avro")));
    assertTrue(Files.readString(quarantine.resolve("truncated.avro.reason.txt")).contains("damaged"));
    assertEquals(0, db.read().filter("candid is null or objectId is null").count(), "no row without an id");
    assertEquals(GOOD, db.read().count());
    try (Stream<Path> nights = Files.list(Path.of(db.path()))) {
      assertTrue(nights.noneMatch(p -> p.getFileName().toString().contains("__HIVE_DEFAULT_PARTITION__")));
    }
  }

  @Test
  void truncatedAndBitFlippedFilesAreNamed() throws IOException {
    Path truncated = truncate(alerts.resolve("truncated.avro"));
    Path flipped = alerts.resolve("flipped.avro");
    byte[] bytes = Files.readAllBytes(SharedData.avroFiles(SharedData.ztfAlerts()).get(GOOD + 1));
    byte[] sync = Arrays.copyOfRange(bytes, bytes.length - 16, bytes.length);
    int dataStart = indexOf(bytes, sync) + sync.length;
    bytes[dataStart + 1] ^= 0x40; // the block's size: the sync marker is no longer where the block ends
    Files.write(flipped, bytes);
    IngestException e = assertThrows(IngestException.class, () -> new SurveyIngest(spark).ingestReport(alerts, db));
    assertTrue(e.getMessage().contains(truncated + " is damaged (truncated)"), e.getMessage());
    assertTrue(e.getMessage().contains(flipped + " is damaged (truncated or corrupt)"), e.getMessage());
    assertTrue(e.getMessage().startsWith("2 of the alert files"), e.getMessage());
    assertNothingStored();
  }

  @Test
  void ztfFilesIngestedAsRubinAreRefused() throws IOException {
    SchemaFolder schemas = new SchemaFolder(SharedData.require("lsst/schema"));
    IngestException e = assertThrows(IngestException.class,
        () -> new SurveyIngest(spark, Survey.RUBIN, schemas).ingestReport(alerts, db));
    assertTrue(e.getMessage().startsWith(GOOD + " of the alert files"), e.getMessage());
    assertTrue(e.getMessage().contains("is not a Rubin alert file: its schema is the record ztf.alert"),
        e.getMessage());
    assertNothingStored();
  }

  @Test
  void aRubinMessageWithACorruptBodyIsNamed() throws IOException {
    Path rubin = Files.createDirectories(work.resolve("rubin"));
    List<Path> wires = SurveyIngest.alertFiles(SharedData.require("lsst/alerts/kafka-wire"));
    Files.copy(wires.get(0), rubin.resolve("good.bin"));
    byte[] bytes = Files.readAllBytes(wires.get(1));
    Arrays.fill(bytes, 5, 17, (byte) 0xFF); // the alert id: no valid long starts with 12 continuation bytes
    Path corrupt = Files.write(rubin.resolve("corrupt.bin"), bytes);
    Path cut = Files.write(rubin.resolve("cut.bin"), Arrays.copyOf(Files.readAllBytes(wires.get(2)), 4000));
    SchemaFolder schemas = new SchemaFolder(SharedData.require("lsst/schema"));
    SurveyIngest ingest = new SurveyIngest(spark, Survey.RUBIN, schemas);
    IngestException e = assertThrows(IngestException.class, () -> ingest.ingestReport(rubin, db));
    assertTrue(e.getMessage().contains(corrupt + " is damaged (truncated or corrupt): its body does not decode"
        + " with schema id 704"), e.getMessage());
    assertTrue(e.getMessage().contains(cut + " is damaged"), e.getMessage());
    assertNothingStored();

    SurveyIngest.Report report = ingest.withBadFiles(BadAlertFiles.quarantineIn(work.resolve("q")))
        .ingestReport(rubin, db);
    assertEquals(1, report.alertsStored());
    assertEquals(2, report.setAside().size());
  }

  @Test
  void aQuarantineInsideTheAlertFolderIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SurveyIngest(spark)
        .withBadFiles(BadAlertFiles.quarantineIn(alerts.resolve("bad"))).ingestReport(alerts, db));
    assertTrue(e.getMessage().contains("choose a folder outside it"), e.getMessage());
  }

  /** A container of an unrelated schema, with an integer "candid" to look plausible. */
  static Path writeForeign(Path file) throws IOException {
    Schema schema = SchemaBuilder.record("Weather").namespace("com.example").fields()
        .requiredString("station").requiredDouble("temperature").requiredLong("candid").endRecord();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
      writer.create(schema, file.toFile());
      GenericRecord r = new GenericData.Record(schema);
      r.put("station", "Paris");
      r.put("temperature", 12.5);
      r.put("candid", 42L);
      writer.append(r);
    }
    return file;
  }

  private static Path truncate(Path target) throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.avroFiles(SharedData.ztfAlerts()).get(GOOD));
    return Files.write(target, Arrays.copyOf(bytes, bytes.length * 2 / 3));
  }

  private void assertNothingStored() throws IOException {
    Path folder = Path.of(db.path());
    if (Files.isDirectory(folder)) {
      try (Stream<Path> files = Files.walk(folder)) {
        List<Path> data = files.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith("."))
            .toList();
        assertEquals(List.of(), data, "nothing written in the science database");
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("sync marker not found");
  }
}
