package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fink start ingest} on bad input, as a user runs it: each error names the file and the fix on stderr, without
 * a stack frame unless {@code --verbose}; nothing is stored; with {@code --bad-files quarantine} the good files are.
 */
class IngestErrorsCliTest {
  static final String FRAME = "\tat ";
  @TempDir Path work;
  Path alerts;
  Path conf;
  Path db;

  @BeforeEach
  void setUp() throws IOException {
    alerts = Files.createDirectories(work.resolve("alerts"));
    for (Path file : SharedData.avroFiles(SharedData.ztfAlerts()).subList(0, 3)) {
      Files.copy(file, alerts.resolve(file.getFileName()));
    }
    db = work.resolve("db");
    conf = Files.writeString(work.resolve("fink.conf"), "SCIENCE_DB_PATH=" + db + "\nSCIENCE_DB_FORMAT=parquet\n");
  }

  private Run ingest(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("start", "ingest", "--conf", conf.toString(),
        "--alerts", alerts.toString()));
    args.addAll(List.of(more));
    return FinkCommandTest.fink(args.toArray(String[]::new));
  }

  private static void assertNoTrace(Run run) {
    assertFalse(run.err().contains(FRAME), "no stack frame without --verbose:\n" + run.err());
    assertFalse(run.err().contains("Exception"), "no exception class name:\n" + run.err());
  }

  private void assertNothingStored() throws IOException {
    if (Files.isDirectory(db)) {
      try (var files = Files.walk(db)) {
        assertEquals(List.of(), files.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().startsWith("_")).toList(), "nothing stored");
      }
    }
  }

  @Test
  void aForeignAvroFileIsNamedWithTheQuarantineFix() throws IOException {
    Path foreign = writeForeign(alerts.resolve("weather.avro"));
    Run run = ingest();
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertNoTrace(run);
    assertTrue(run.err().startsWith("fink: 1 of the alert files in " + alerts), run.err());
    assertTrue(run.err().contains(foreign + " is not a ZTF alert file: its schema is the record com.example.Weather"),
        run.err());
    assertTrue(run.err().contains("Remove or replace them"), run.err());
    assertTrue(run.err().contains("--bad-files quarantine --quarantine DIR"), run.err());
    assertNothingStored();

    Run verbose = ingest("--verbose");
    assertTrue(verbose.err().contains(FRAME), "--verbose shows the trace");
  }

  @Test
  void truncatedAndCorruptFilesAreNamed() throws IOException {
    byte[] bytes = Files.readAllBytes(SharedData.avroFiles(SharedData.ztfAlerts()).get(5));
    Path truncated = Files.write(alerts.resolve("truncated.avro"), Arrays.copyOf(bytes, bytes.length / 2));
    Path garbage = Files.write(alerts.resolve("garbage.avro"), "not avro at all".getBytes(StandardCharsets.UTF_8));
    Run run = ingest();
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertNoTrace(run);
    assertTrue(run.err().contains(truncated + " is damaged (truncated)"), run.err());
    assertTrue(run.err().contains(garbage + " is neither an Avro container file nor"), run.err());
    assertNothingStored();
  }

  @Test
  void ztfFilesIngestedAsRubinAreRefused() throws IOException {
    Run run = ingest("--survey", "rubin", "--schemas", SharedData.require("lsst/schema").toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertNoTrace(run);
    assertTrue(run.err().contains("is not a Rubin alert file: its schema is the record ztf.alert"), run.err());
    assertTrue(run.err().split("\n").length <= 2, "one paragraph, not hundreds of lines:\n" + run.err());
    assertNothingStored();
  }

  @Test
  void aRubinMessageWithACorruptBodyIsNamed() throws IOException {
    Path rubin = Files.createDirectories(work.resolve("rubin"));
    Path wire = SharedData.require("lsst/alerts/kafka-wire");
    byte[] bytes;
    try (var files = Files.list(wire)) {
      bytes = Files.readAllBytes(files.filter(p -> p.toString().endsWith(".bin")).sorted().findFirst().orElseThrow());
    }
    Arrays.fill(bytes, 5, 17, (byte) 0xFF);
    Path corrupt = Files.write(rubin.resolve("corrupt.bin"), bytes);
    Run run = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--alerts", rubin.toString(),
        "--survey", "rubin", "--schemas", SharedData.require("lsst/schema").toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertNoTrace(run);
    assertTrue(run.err().contains(corrupt + " is damaged (truncated or corrupt): its body does not decode with"
        + " schema id 704"), run.err());
    assertNothingStored();
  }

  @Test
  void quarantineSetsBadFilesAsideAndCountsThem() throws IOException {
    writeForeign(alerts.resolve("weather.avro"));
    Path quarantine = work.resolve("quarantine");
    Run run = ingest("--bad-files", "quarantine", "--quarantine", quarantine.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("3 new alerts stored in " + db), run.out());
    assertTrue(run.out().contains("1 bad files set aside in " + quarantine), run.out());
    assertTrue(Files.isRegularFile(quarantine.resolve("weather.avro.reason.txt")));
  }

  @Test
  void quarantineNeedsItsFolder() {
    Run run = ingest("--bad-files", "quarantine");
    assertEquals(2, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains("--bad-files quarantine needs the folder to move bad files to: --quarantine DIR"),
        run.err());
    assertNoTrace(run);
  }

  @Test
  void aRunningIngestIsNamedWithItsPidAndStartTime() throws IOException {
    Files.createDirectories(db);
    Path lockFile = db.resolve("_fink_ingest.lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      channel.write(ByteBuffer.wrap("pid 4242, since 2026-12-05T18:02:11Z\n".getBytes(StandardCharsets.UTF_8)));
      Run run = ingest();
      assertEquals(1, run.exitCode(), run.out() + run.err());
      assertNoTrace(run);
      assertTrue(run.err().startsWith("fink: another ingest is running into the science database " + db
          + " (pid 4242, since 2026-12-05T18:02:11Z"), run.err());
      assertTrue(run.err().contains("wait until it ends, then ingest again"), run.err());
    }
    assertNothingStored();
    Run after = ingest();
    assertEquals(0, after.exitCode(), after.err());
    assertTrue(after.out().contains("3 new alerts stored"), after.out());
  }

  static Path writeForeign(Path file) throws IOException {
    Schema schema = SchemaBuilder.record("Weather").namespace("com.example").fields()
        .requiredString("station").requiredDouble("temperature").endRecord();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
      writer.create(schema, file.toFile());
      GenericRecord r = new GenericData.Record(schema);
      r.put("station", "Paris");
      r.put("temperature", 12.5);
      writer.append(r);
    }
    return file;
  }
}
