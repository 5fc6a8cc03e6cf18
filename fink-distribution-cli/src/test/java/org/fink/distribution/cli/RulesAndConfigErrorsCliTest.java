package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Careless and hostile rules files and configuration values, through the command line as a user runs it: each is
 * refused with exit code 1, names the culprit (file and line, or key) and the fix, and prints no stack frame unless
 * {@code --verbose} is given. None of them reaches Spark's column conversion, a stack overflow or an out-of-memory
 * error.
 */
class RulesAndConfigErrorsCliTest {
  @TempDir Path work;

  private static String rules(String filter) {
    return "<distribution-rules>\n<select><column name=\"objectId\"/></select>\n<filter>\n" + filter
        + "</filter>\n</distribution-rules>\n";
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(work.resolve(name), text);
  }

  /** A refusal: exit code 1, every part in stderr, no stack frame. */
  private static Run refused(Run run, String... parts) {
    assertEquals(1, run.exitCode(), run.out() + run.err());
    for (String part : parts) {
      assertTrue(run.err().contains(part), () -> "expected \"" + part + "\" in stderr:\n" + run.err());
    }
    assertFalse(run.err().contains("\tat "), () -> "a stack frame without --verbose:\n" + run.err());
    assertFalse(run.err().contains("Exception"), () -> "an exception class name:\n" + run.err());
    return run;
  }

  private Path conf(String line) throws IOException {
    return write("bad.conf", "# careless configuration\nDISTRIBUTION_TOPIC=fink_outstream\n" + line + "\n");
  }

  private Path validRules() throws IOException {
    return write("ok.xml", rules("<column name=\"candidate.rb\" operator=\"&gt;\" value=\"0.5\"/>\n"));
  }

  // ---------------------------------------------------------------- rules files

  @Test
  void deeplyNestedRules() throws IOException {
    Path deep = write("deep.xml", rules("<and>\n".repeat(1000)
        + "<column name=\"candidate.rb\" operator=\"&gt;\" value=\"0.5\"/>\n" + "</and>\n".repeat(1000)));
    refused(FinkCommandTest.fink("rules", "check", deep.toString()),
        deep + ":66:1: <and> is nested 65 elements deep, beyond the limit of 64; flatten the conditions");
    refused(FinkCommandTest.fink("rules", "dry-run", deep.toString()), "fink: " + deep + ":66:1:", "flatten");
    Path conf = write("deep.conf", "DISTRIBUTION_RULES_XML=" + deep + "\nFINK_ALERT_CHECKPOINT_KAFKA="
        + work.resolve("checkpoint") + "\n");
    long start = System.nanoTime();
    refused(FinkCommandTest.fink("start", "distribution", "--once", "--conf", conf.toString()),
        "fink: " + deep + ":66:1: <and> is nested 65 elements deep", "flatten");
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "before Spark starts");
    assertFalse(Files.exists(work.resolve("checkpoint")), "nothing done");
  }

  /** A bad watchlist catalog is named with its line, column and fix, at the line of its element, before Spark. */
  @Test
  void badWatchlistCatalog() throws IOException {
    write("catalog.csv", "name,ra,dec\nvega,279.23,38.78\nvega,400,38.78\nx,1\n");
    Path bad = write("watchlist.xml", rules("<watchlist ra=\"candidate.ra\" dec=\"candidate.dec\""
        + " file=\"catalog.csv\" radius=\"2 arcsec\"/>\n"));
    Path catalog = work.resolve("catalog.csv");
    refused(FinkCommandTest.fink("rules", "check", bad.toString()),
        bad + ":4:1: watchlist catalog " + catalog + ", line 3: column ra is 400, outside [0, 360)",
        bad + ":4:1: watchlist catalog " + catalog + ", line 3: column name holds \"vega\", already the name of the"
            + " source on line 2; give each source a unique name",
        bad + ":4:1: watchlist catalog " + catalog + ", line 4: column dec is empty");
    Path conf = write("watchlist.conf", "DISTRIBUTION_RULES_XML=" + bad + "\nFINK_ALERT_CHECKPOINT_KAFKA="
        + work.resolve("checkpoint") + "\n");
    refused(FinkCommandTest.fink("start", "distribution", "--once", "--conf", conf.toString()),
        "fink: " + bad + ":4:1: watchlist catalog " + catalog + ", line 3: column ra is 400");
    assertFalse(Files.exists(work.resolve("checkpoint")), "nothing done");
    Files.delete(catalog);
    refused(FinkCommandTest.fink("rules", "check", bad.toString()),
        bad + ":4:1: the watchlist catalog " + catalog + " does not exist; fix the file attribute of <watchlist>");
  }

  @Test
  void hugeInList() throws IOException {
    String values = IntStream.range(0, 20_000).mapToObj(Integer::toString).collect(Collectors.joining(","));
    Path huge = write("huge-in.xml", rules("<column name=\"candidate.fid\" operator=\"in\" value=\"" + values
        + "\"/>\n"));
    refused(FinkCommandTest.fink("rules", "check", huge.toString()), huge + ":4:1: the in list of candidate.fid"
        + " holds 20000 values, more than the limit of 10000; split it into several lists");
  }

  @Test
  void tensOfThousandsOfConditions() throws IOException {
    Path many = write("many.xml", rules("<column name=\"candid\" operator=\"!=\" value=\"1\"/>\n".repeat(50_000)));
    refused(FinkCommandTest.fink("rules", "check", many.toString()), many + ":504:1: the rules hold 50000"
        + " conditions, more than the limit of 500 per file (a shared condition counts once per stream); write long"
        + " lists of equalities as one in list");
  }

  @Test
  void tooManyStreams() throws IOException {
    String streams = IntStream.range(0, 150).mapToObj(i -> "<stream name=\"s" + i + "\" topic=\"t" + i + "\"/>\n")
        .collect(Collectors.joining());
    Path file = write("streams.xml", "<distribution-rules>\n" + streams + "</distribution-rules>\n");
    refused(FinkCommandTest.fink("rules", "check", file.toString()), file + ":102:1: the rules declare 150 streams,"
        + " more than the limit of 100 per file");
  }

  @Test
  void hugeAndEndlessFiles() throws IOException {
    Path big = write("big.xml", rules("<!-- " + "x".repeat(5 * 1024 * 1024) + " -->\n"));
    refused(FinkCommandTest.fink("rules", "check", big.toString()), "the rules file " + big + " is too large (",
        "the limit is 4 MiB");
    assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
    refused(FinkCommandTest.fink("rules", "check", "/dev/zero"), "cannot read rules file /dev/zero: it is not a"
        + " regular file (a device or a pipe); name an XML rules file");
    refused(FinkCommandTest.fink("rules", "check", work.toString()), "cannot read rules file " + work
        + ": it is a folder");
  }

  @Test
  void theVerboseFlagStillShowsTheTrace() throws IOException {
    Path deep = write("deep.xml", rules("<or>\n".repeat(100) + "<column name=\"candid\" operator=\"=\" value=\"1\"/>\n"
        + "</or>\n".repeat(100)));
    Run run = FinkCommandTest.fink("rules", "dry-run", "--verbose", deep.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("\tat "), run.err());
  }

  // ---------------------------------------------------------------- configuration values

  @Test
  void badConfigurationValuesAreNamedAtLoad() throws IOException {
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"FINK_TRIGGER_UPDATE=NaN", "is not a number of seconds from 0 to 86400",
        "FINK_TRIGGER_UPDATE=2"});
    cases.add(new String[] {"FINK_TRIGGER_UPDATE=1e300", "is not a number of seconds", "FINK_TRIGGER_UPDATE=2"});
    cases.add(new String[] {"DISTRIBUTION_MAX_FILES_PER_TRIGGER=-1", "is out of range",
        "DISTRIBUTION_MAX_FILES_PER_TRIGGER=0"});
    cases.add(new String[] {"DISTRIBUTION_OFFSET=-1", "is before 1970", "epoch milliseconds from 0 on"});
    cases.add(new String[] {"DISTRIBUTION_TOPIC='my topic'", "is not a valid Kafka topic name",
        "use at most 249 letters, digits"});
    cases.add(new String[] {"DISTRIBUTION_SCHEMA_TOPIC=schemas/v1", "is not a valid Kafka topic name",
        "DISTRIBUTION_SCHEMA_TOPIC=fink_schemas"});
    cases.add(new String[] {"DISTRIBUTION_SERVERS='broker1;broker2'", "is not a list of host:port",
        "DISTRIBUTION_SERVERS=broker1:9092,broker2:9092"});
    cases.add(new String[] {"SPARK_MASTER=garbage://x", "is not a Spark master URL", "SPARK_MASTER=local[2]"});
    Path rules = validRules();
    for (String[] c : cases) {
      Path conf = conf(c[0]);
      String key = c[0].substring(0, c[0].indexOf('='));
      Run run = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), rules.toString());
      refused(run, "fink: " + conf + ":3: " + key + "=", c[1], c[2]);
    }
    Path conf = conf("SPARK_MASTER=garbage://x");
    long start = System.nanoTime();
    refused(FinkCommandTest.fink("start", "distribution", "--once", "--conf", conf.toString()),
        "fink: " + conf + ":3: SPARK_MASTER=garbage://x is not a Spark master URL");
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused at load, before anything starts");
  }

  @Test
  void aConfigurationFileThatIsNotUtf8() throws IOException {
    Path latin1 = work.resolve("latin1.conf");
    Files.write(latin1, "# Fink\nDISTRIBUTION_TOPIC=fink_outstream # d\u00e9faut\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    refused(FinkCommandTest.fink("rules", "check", "--conf", latin1.toString(), validRules().toString()),
        "fink: " + latin1 + ":2: not UTF-8 text (byte 0xE9 at column 38); save the file as UTF-8");
    assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
    refused(FinkCommandTest.fink("rules", "check", "--conf", "/dev/zero", validRules().toString()),
        "/dev/zero");
  }

  // ---------------------------------------------------------------- values a field cannot hold

  @TempDir static Path shared;
  private static Path scienceDbConf;

  /** A configuration whose science database holds 10 real ZTF alerts (ingested once); skips without the data. */
  private static synchronized Path scienceDbConf() throws IOException {
    if (scienceDbConf != null) {
      return scienceDbConf;
    }
    Path alerts = Path.of(System.getProperty("fink.shared.data", "../../shared/data")).resolve("ztf/alerts");
    assumeTrue(Files.isDirectory(alerts), "real alerts not found at " + alerts + ": test skipped");
    Path some = Files.createDirectories(shared.resolve("alerts"));
    try (Stream<Path> files = Files.list(alerts)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".avro")).sorted().limit(10).toList()) {
        Files.createSymbolicLink(some.resolve(file.getFileName()), file.toAbsolutePath());
      }
    }
    Path conf = Files.writeString(shared.resolve("fink.conf"), "source ${FINK_HOME}/conf/fink.conf.distribution\n"
        + "SCIENCE_DB_PATH=" + shared.resolve("science_db") + "\n");
    Run ingest = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--alerts", some.toString());
    assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());
    scienceDbConf = conf;
    return conf;
  }

  @Test
  void largeRulesWithinTheLimitsAreCheckedAndDryRun() throws IOException {
    Path conf = scienceDbConf();
    String values = IntStream.range(0, 1_000).mapToObj(i -> Long.toString(1_000_000_000_000_000_000L + i))
        .collect(Collectors.joining(", "));
    Path file = write("large.xml", rules("<column name=\"candid\" operator=\"not in\" value=\"" + values + "\"/>\n"
        + "<column name=\"candidate.magpsf\" operator=\"!=\" value=\"99\"/>\n".repeat(400)));
    Run check = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), file.toString());
    assertEquals(0, check.exitCode(), check.out() + check.err());
    Run dryRun = FinkCommandTest.fink("rules", "dry-run", "--conf", conf.toString(), file.toString());
    assertEquals(0, dryRun.exitCode(), dryRun.out() + dryRun.err());
    assertTrue(dryRun.out().contains("stream default -> topic fink_outstream: 10 alerts would be published"),
        dryRun.out());
  }

  @Test
  void valuesOutOfTheirFieldsRangeAndFieldsSelectedAndDropped() throws IOException {
    Path conf = scienceDbConf();
    Path file = write("ranges.xml", """
        <distribution-rules>
          <select><column name="objectId"/><column name="candid"/></select>
          <drop><column name="candid"/></drop>
          <filter>
            <column name="candid" operator="=" value="123456789012345678901234567890"/>
            <column name="candidate.magpsf" operator="&lt;" value="1e400"/>
            <column name="candidate.fid" operator="=" value="1.5"/>
            <column name="candidate.fid" operator="&lt;" value="2.5"/>
          </filter>
        </distribution-rules>
        """);
    Run run = refused(FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), file.toString()),
        file + ":3:9: candid is both selected and dropped, so it would not be distributed; remove it from <drop>",
        file + ":5:5: the value 123456789012345678901234567890 is beyond the range of candid (long, 64 bits",
        file + ":6:5: the value 1E+400 is beyond the range of candidate.magpsf (float",
        file + ":7:5: candidate.fid holds whole numbers (int) but is compared to 1.5, which it never equals; write a"
            + " whole number",
        "4 problems found");
    assertFalse(run.err().contains(":8:5:"), "a fractional bound is no error");

    Files.writeString(file, """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="candidate.fid" operator="&lt;" value="2.5"/>
          </filter>
        </distribution-rules>
        """);
    Run warned = FinkCommandTest.fink("rules", "check", "--conf", conf.toString(), file.toString());
    assertEquals(0, warned.exitCode(), warned.out() + warned.err());
    assertTrue(warned.err().contains("warning: " + file + ":4:5: candidate.fid holds whole numbers (int) but a bound"
        + " is 2.5"), warned.err());
  }
}
