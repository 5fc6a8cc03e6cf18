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
            </filter>
          </stream>
        </distribution-rules>
        """);
    Run syntax = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), broken.toString());
    assertEquals(1, syntax.exitCode());
    assertTrue(syntax.err().contains(broken + ":7:7: invalid regular expression"), syntax.err());
    assertTrue(syntax.err().contains("1 problem found"), syntax.err());

    Files.writeString(broken, Files.readString(broken).replace("'^[0-9'", "'^[0-9]'"));
    Run typed = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), broken.toString());
    assertEquals(1, typed.exitCode());
    assertTrue(typed.err().contains(broken + ":4:7: unknown field candidate.magpfs; did you mean candidate.magpsf?"),
        typed.err());
    assertTrue(typed.err().contains(broken + ":5:7: candidate.isdiffpos is a string but is compared to the number 1;"
        + " write strings in single quotes: value=\"'1'\""), typed.err());
    assertTrue(typed.err().contains(broken + ":6:7: <count> needs an array, but candidate is a record"), typed.err());
    assertTrue(typed.err().contains("3 problems found"), typed.err());
  }
}
