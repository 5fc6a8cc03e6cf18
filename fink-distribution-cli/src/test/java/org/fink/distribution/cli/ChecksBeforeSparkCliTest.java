package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands check their arguments and files before starting Spark: a wrong path is named in well under 2 seconds, and
 * no Spark session is asked for.
 */
class ChecksBeforeSparkCliTest {
  @TempDir Path work;

  private Run timed(String... args) {
    int before = SparkSessions.REQUESTS.get();
    long start = System.nanoTime();
    Run run = FinkCommandTest.fink(args);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(before, SparkSessions.REQUESTS.get(), "no Spark session: " + run.err());
    assertTrue(seconds < 2, "answered in " + seconds + " s");
    assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    return run;
  }

  @Test
  void ingestOfAMissingFolderAnswersAtOnce() {
    Path missing = work.resolve("nonexistent");
    Run run = timed("start", "ingest", "--alerts", missing.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("fink: --alerts " + missing + ": no such file or folder"), run.err());
  }

  @Test
  void ingestOfAFolderWithoutAlertFilesAnswersAtOnce() throws IOException {
    Path empty = Files.createDirectories(work.resolve("empty"));
    Files.writeString(empty.resolve("README.txt"), "not an alert");
    Run run = timed("start", "ingest", "--alerts", empty.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("fink: --alerts " + empty + ": no alert file (*.avro, *.bin) in it"), run.err());
  }

  @Test
  void ingestWithAMissingSchemaFolderAnswersAtOnce() throws IOException {
    Path alerts = Files.createDirectories(work.resolve("alerts"));
    Files.write(alerts.resolve("a.avro"), new byte[] {1});
    Path schemas = work.resolve("no-schemas");
    Run run = timed("start", "ingest", "--alerts", alerts.toString(), "--schemas", schemas.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("fink: --schemas " + schemas + ": no such folder"), run.err());
  }

  @Test
  void dryRunWithoutAScienceDatabaseAnswersAtOnce() throws IOException {
    Path conf = Files.writeString(work.resolve("fink.conf"), "source ${FINK_HOME}/conf/fink.conf.distribution\n"
        + "SCIENCE_DB_PATH=" + work.resolve("no_db") + "\n");
    Path rules = ConfigOptions.finkHome().resolve("conf/distribution-rules.xml");
    Run run = timed("rules", "dry-run", "--conf", conf.toString(), rules.toString());
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("the science database at " + work.resolve("no_db") + " is empty or missing"),
        run.err());
  }

  @Test
  void rulesCheckWithoutAScienceDatabaseAnswersAtOnce() throws IOException {
    Path conf = Files.writeString(work.resolve("fink.conf"), "source ${FINK_HOME}/conf/fink.conf.distribution\n"
        + "SCIENCE_DB_PATH=" + work.resolve("no_db") + "\n");
    Path rules = ConfigOptions.finkHome().resolve("conf/distribution-rules.xml");
    Run run = timed("rules", "check", "--conf", conf.toString(), rules.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("note: no science database at"), run.out());
  }
}
