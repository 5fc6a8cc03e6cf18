package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.xml.RulesXml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fink rules check} on the shipped examples, against a science database of the real ZTF alerts: one summary
 * line per stream for each example; every problem of a broken file, with its line and column.
 */
class RulesCheckCommandTest {
  @TempDir static Path work;
  static Path conf;

  @BeforeAll
  static void ingestTheRealAlerts() throws IOException {
    Path alerts = Path.of(System.getProperty("fink.shared.data", "../../shared/data")).resolve("ztf/alerts");
    assumeTrue(Files.isDirectory(alerts), "real alerts not found at " + alerts + ": test skipped");
    conf = Files.writeString(work.resolve("fink.conf"), "source ${FINK_HOME}/conf/fink.conf.distribution\n"
        + "SCIENCE_DB_PATH=" + work.resolve("science_db") + "\n");
    Run ingest = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--alerts", alerts.toString());
    assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(ConfigOptions.finkHome().resolve("conf/examples"))) {
      return files.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
  }

  @Test
  void everyExamplePrintsOneSummaryLinePerStream() throws IOException {
    List<Path> examples = examples();
    assertTrue(examples.size() >= 6, examples.toString());
    for (Path example : examples) {
      Run run = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), example.toString());
      if (example.getFileName().toString().equals("bright-stars-cdsxmatch.xml")) {
        // meant for Fink's science database: the raw ZTF alerts have no cdsxmatch column, which must be clear
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains(example + ":15:7: unknown field cdsxmatch"), run.err());
        assertTrue(run.err().contains(example + ":18:7: unknown field cdsxmatch"), run.err());
        assertTrue(run.err().contains("2 problems found"), run.err());
        continue;
      }
      assertEquals(0, run.exitCode(), example + ": " + run.out() + run.err());
      DistributionRules rules = RulesXml.read(example);
      List<String> lines = run.out().lines().filter(l -> l.startsWith(example + ": stream ")).toList();
      assertEquals(rules.streams().size(), lines.size(), run.out());
      for (int i = 0; i < lines.size(); i++) {
        DistributionStream stream = rules.streams().get(i);
        assertTrue(lines.get(i).startsWith(example + ": stream " + stream.name() + " -> topic "
            + stream.topicOr("fink_outstream") + ": "), lines.get(i));
      }
    }
  }

  @Test
  void aBrokenFilePrintsEveryProblemWithLineAndColumn() throws IOException {
    Path broken = Files.writeString(work.resolve("broken.xml"), """
        <distribution-rules>
          <stream name="broken" topic="fink_broken">
            <filter>
              <column name="candidate.magpfs" operator="&lt;" value="18"/>
              <column name="candidate.isdiffpos" operator="=" value="1"/>
              <count array="candidate" operator="&gt;" value="1"/>
              <column name="candidate.ssnamenr" operator="matches" value="'^[0-9'"/>
              <column name="candidate.magpsf" operator="&lt;" value="'18'"/>
            </filter>
          </stream>
        </distribution-rules>
        """);
    int sparkBefore = SparkSessions.REQUESTS.get();
    long started = System.nanoTime();
    Run all = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), broken.toString());
    double seconds = (System.nanoTime() - started) / 1e9;
    assertEquals(1, all.exitCode());
    assertEquals(sparkBefore, SparkSessions.REQUESTS.get(), "the schema comes from the Parquet footers: no Spark");
    List<String> lines = all.err().lines().toList();
    assertEquals(List.of(
        broken + ":4:7: unknown field candidate.magpfs; did you mean candidate.magpsf?",
        broken + ":5:7: candidate.isdiffpos is a string but is compared to the number 1; write strings in single"
            + " quotes: value=\"'1'\"",
        broken + ":6:7: <count> needs an array, but candidate is a record",
        broken + ":7:7: invalid regular expression",
        broken + ":8:7: candidate.magpsf is a number (float) but is compared to the string '18'",
        "5 problems found"), lines.stream().map(l -> l.startsWith(broken + ":") ? prefix(l) : l).toList(),
        all.err());
    System.out.printf("rules check of a file with 5 problems, in process: %.2f s%n", seconds);
  }

  /** The line up to its fix, or to the detail of a regex error. */
  private static String prefix(String line) {
    for (String cut : List.of(" '^[0-9'", "; write the value without quotes", "; name an array")) {
      int at = line.indexOf(cut);
      if (at > 0) {
        return line.substring(0, at);
      }
    }
    return line;
  }

  @Test
  void aStringComparedWithAFloatAnUnknownFieldAndABadRegexAppearInOneRunSortedByLine() throws IOException {
    Path file = Files.writeString(work.resolve("three.xml"), """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="candidate.ssnamenr" operator="matches" value="'(unclosed'"/>
            <or>
              <column name="candidate.nosuchfield" operator="&gt;" value="1"/>
              <column name="candidate.rb" operator="&gt;=" value="'0.5'"/>
            </or>
          </filter>
        </distribution-rules>
        """);
    int sparkBefore = SparkSessions.REQUESTS.get();
    Run run = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), file.toString());
    assertEquals(1, run.exitCode(), run.err());
    assertEquals(sparkBefore, SparkSessions.REQUESTS.get(), "no Spark session for rules check");
    List<String> lines = run.err().lines().toList();
    assertEquals(4, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith(file + ":4:5: invalid regular expression"), run.err());
    assertTrue(lines.get(1).startsWith(file + ":6:7: unknown field candidate.nosuchfield"), run.err());
    assertTrue(lines.get(2).startsWith(file + ":7:7: candidate.rb is a number (float) but is compared to the string"
        + " '0.5'"), run.err());
    assertEquals("3 problems found", lines.get(3));
  }

  @Test
  void aValidFileIsCheckedWithoutSparkAndFloatEqualityIsWarnedAbout() throws IOException {
    Path file = Files.writeString(work.resolve("float.xml"), """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter><column name="candidate.rb" operator="=" value="0.59"/></filter>
        </distribution-rules>
        """);
    int sparkBefore = SparkSessions.REQUESTS.get();
    Run run = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), file.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(sparkBefore, SparkSessions.REQUESTS.get(), "no Spark session for rules check");
    assertTrue(run.err().startsWith("warning: " + file + ":3:11: candidate.rb is a float (32 bits) and 0.59 is not"
        + " exactly a float"), run.err());
    assertTrue(run.out().contains(file + ": stream default -> topic"), run.out());
  }

  @Test
  void startDistributionNamesAnUnknownFieldBeforeSparkStarts() throws IOException {
    Path rules = Files.writeString(work.resolve("unknown-field.xml"), """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter><column name="candidate.magpfs" operator="&lt;" value="18"/></filter>
        </distribution-rules>
        """);
    Path distConf = Files.writeString(work.resolve("dist.conf"), "source " + conf + "\n"
        + "DISTRIBUTION_RULES_XML=" + rules + "\n"
        + "FINK_ALERT_CHECKPOINT_KAFKA=" + work.resolve("checkpoint") + "\n");
    int sparkBefore = SparkSessions.REQUESTS.get();
    long start = System.nanoTime();
    Run run = FinkCommandTest.fink("start", "distribution", "--once", "--conf", distConf.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertEquals(sparkBefore, SparkSessions.REQUESTS.get(), "no Spark session: " + run.err());
    assertTrue(run.err().contains(rules + ":3:11: unknown field candidate.magpfs; did you mean candidate.magpsf?"),
        run.err());
    assertTrue(seconds < 2, "answered in " + seconds + " s");
    assertTrue(!Files.exists(work.resolve("checkpoint")), "nothing done");
  }
}
