package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fink} launcher as a user runs it: real Spark, real Kafka broker process, repo's conf/. */
class FinkCommandTest {
  @TempDir Path work;

  /** What a command printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run fink(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = FinkCommand.commandLine().execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void demoPublishesAndDecodesTheSampleAlerts() {
    Run run = fink("demo", "--alerts", "60");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("60 alerts ingested"), run.out());
    assertTrue(run.out().matches("(?s).*\\[demo] demo done: [1-9][0-9]* alerts published and decoded.*"), run.out());
    assertTrue(run.out().contains("| objectId |") || run.out().contains("objectId |"), "prints the alerts");
    assertTrue(run.out().contains("local Kafka broker stopped"));
  }

  @Test
  void rulesCheckReportsEveryProblemWithItsLine() throws IOException {
    Path rules = Files.writeString(work.resolve("bad.xml"), """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="candidate" subcol="magpsf" operator="~" value="18"/>
            <column name="candidate" subcol="rb" operator="&gt;" value="high"/>
          </filter>
        </distribution-rules>
        """);
    Run run = fink("rules", "check", rules.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains(rules + ":4:"), run.err());
    assertTrue(run.err().contains("unknown operator \"~\""), run.err());
    assertTrue(run.err().contains(rules + ":5:"), run.err());
    assertTrue(run.err().contains("2 problems found"), run.err());
  }

  @Test
  void rulesCheckAcceptsTheShippedRules() {
    Path shipped = ConfigOptions.finkHome().resolve("conf/distribution-rules.xml");
    Run run = fink("rules", "check", shipped.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("stream default -> topic fink_outstream"), run.out());
  }

  @Test
  void missingRulesFileIsNamedByRulesCheck() {
    Path missing = work.resolve("nowhere/rules.xml");
    Run run = fink("rules", "check", missing.toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(run.err().startsWith("cannot read rules file " + missing + ": it does not exist"), run.err());
  }

  @Test
  void missingRulesFileStopsTheDistributionBeforeSparkStarts() throws IOException {
    Path missing = work.resolve("nowhere/rules.xml");
    Path conf = Files.writeString(work.resolve("fink.conf"), "DISTRIBUTION_RULES_XML=" + missing + "\n"
        + "FINK_ALERT_CHECKPOINT_KAFKA=" + work.resolve("checkpoint") + "\n");
    long start = System.nanoTime();
    Run run = fink("start", "distribution", "--once", "--conf", conf.toString());
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertEquals("fink: the rules file " + missing + " (DISTRIBUTION_RULES_XML) does not exist; set"
        + " DISTRIBUTION_RULES_XML to your rules file (conf/distribution-rules.xml is an example)", run.err().strip());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "before Spark starts");
    assertTrue(!Files.exists(work.resolve("checkpoint")), "nothing done");
  }

  @Test
  void unknownCommandIsAUsageError() {
    Run run = fink("start", "nothing");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("fink:"), run.err());
  }
}
