package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test: two {@code fink start ingest} processes at the same time into one science database, of the same folder
 * and of overlapping folders. One ingest runs at a time (the other is refused with "another ingest is running (pid N,
 * since T)", without a stack trace); run again, it stores only what is missing: every alert is stored exactly once.
 */
class ConcurrentIngestTest {
  static final int FILES = 80;
  static final String CLASH = "another ingest is running into the science database";
  @TempDir Path work;
  List<Path> sources;

  @BeforeEach
  void realAlerts() {
    sources = SharedData.avroFiles(SharedData.ztfAlerts()).subList(0, FILES);
  }

  @Test
  void twoProcessesIngestingTheSameFolderStoreEachAlertOnce() throws Exception {
    Path alerts = copy("alerts", 0, FILES);
    Path db = work.resolve("db-same");
    ingestConcurrently(db, alerts, alerts);
    assertStoredOnce(db, FILES);
  }

  @Test
  void twoProcessesIngestingOverlappingFoldersStoreEachAlertOnce() throws Exception {
    Path first = copy("first", 0, FILES * 3 / 4);
    Path second = copy("second", FILES / 4, FILES);
    Path db = work.resolve("db-overlap");
    ingestConcurrently(db, first, second);
    assertStoredOnce(db, FILES);
  }

  /** Starts both at once; each refused one (lock clash) is run again after the other has ended. */
  private void ingestConcurrently(Path db, Path... folders) throws Exception {
    Path conf = Files.writeString(work.resolve(db.getFileName() + ".conf"),
        "SCIENCE_DB_PATH=" + db + "\nSCIENCE_DB_FORMAT=parquet\n");
    List<Process> processes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int i = 0; i < folders.length; i++) {
      Path log = work.resolve(db.getFileName() + "-" + i + ".err");
      logs.add(log);
      processes.add(ingestProcess(conf, folders[i], log).start());
    }
    List<Path> refused = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ingest " + i + " ended");
      String err = Files.readString(logs.get(i), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        assertTrue(err.contains("fink: " + CLASH), "a failed ingest failed on the lock only:\n" + err);
        assertTrue(err.matches("(?s).*\\(pid \\d+, since \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z; lock file .*"), err);
        assertFalse(err.contains("\tat "), "no stack frame:\n" + err);
        refused.add(folders[i]);
      }
    }
    assertTrue(refused.size() < folders.length, "one ingest ran");
    System.out.println("concurrent ingest into " + db.getFileName() + ": " + refused.size()
        + " refused by the lock (0: the first ended before the second took the lock)");
    for (Path folder : refused) {
      Path log = work.resolve(db.getFileName() + "-again.err");
      Process again = ingestProcess(conf, folder, log).start();
      assertTrue(again.waitFor(5, TimeUnit.MINUTES));
      assertEquals(0, again.exitValue(), Files.readString(log));
    }
  }

  /** {@code fink start ingest} in its own JVM, as bin/fink runs it. */
  private ProcessBuilder ingestProcess(Path conf, Path alerts, Path stderr) {
    Path home = ConfigOptions.finkHome();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + home.resolve("conf/jvm.options"), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dfink.home=" + home, "-cp", testClasspath(), FinkCommand.class.getName(),
        "start", "ingest", "--conf", conf.toString(), "--alerts", alerts.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder;
  }

  private Path copy(String name, int from, int to) throws IOException {
    Path folder = Files.createDirectories(work.resolve(name));
    for (Path file : sources.subList(from, to)) {
      Files.copy(file, folder.resolve(file.getFileName()));
    }
    return folder;
  }

  private static void assertStoredOnce(Path db, int alerts) {
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-tests");
    Dataset<Row> rows = spark.read().parquet(db.toString());
    assertEquals(alerts, rows.count(), "every alert stored");
    assertEquals(alerts, rows.select("candid").distinct().count(), "each once");
  }

  /** Under surefire, {@code java.class.path} may be a manifest-only booter jar: the real one is this property. */
  private static String testClasspath() {
    String classpath = System.getProperty("surefire.test.class.path");
    return classpath == null || classpath.isBlank() ? System.getProperty("java.class.path") : classpath;
  }
}
