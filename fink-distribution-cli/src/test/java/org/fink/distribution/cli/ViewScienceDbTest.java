package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fink view --rules FILE --stream NAME} over a science database of synthetic alerts (local Spark): the export
 * holds exactly the alerts the stream's filter passes, counted here from the alert files; a missing stream is named.
 */
class ViewScienceDbTest {
  private static final Pattern MAG = Pattern.compile("<tr><th>candidate\\.magpsf</th><td>([^<]*)</td>");

  @TempDir static Path work;
  static Path conf;
  static Path rules;
  static long bright;

  @BeforeAll
  static void ingest() throws IOException {
    Path alerts = work.resolve("alerts");
    List<Path> files = SyntheticAlerts.ztf(11).writeContainerFiles(alerts, 60, 30);
    List<GenericRecord> all = new ArrayList<>();
    files.forEach(f -> all.addAll(SharedData.readContainer(f).records()));
    bright = all.stream().filter(a -> (Float) ((GenericRecord) a.get("candidate")).get("magpsf") < 17f).count();
    conf = Files.writeString(work.resolve("fink.conf"), "source ${FINK_HOME}/conf/fink.conf.distribution\n"
        + "SCIENCE_DB_PATH=" + work.resolve("science_db") + "\n");
    Run ingest = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--alerts", alerts.toString());
    assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());
    rules = Files.writeString(work.resolve("rules.xml"), """
        <distribution-rules>
          <stream name="bright" topic="fink_bright">
            <filter><column name="candidate.magpsf" operator="&lt;" value="17"/></filter>
          </stream>
          <stream name="faint" topic="fink_faint">
            <filter><column name="candidate.magpsf" operator="&gt;=" value="17"/></filter>
          </stream>
        </distribution-rules>
        """);
  }

  @Test
  void exportHoldsWhatTheStreamWouldPublish() throws IOException {
    assertTrue(bright > 0 && bright < 60, "the synthetic alerts have bright and faint ones: " + bright);
    Path html = work.resolve("bright.html");
    Run run = FinkCommandTest.fink("view", "--conf", conf.toString(), "--rules", rules.toString(), "--stream",
        "bright", "--html", html.toString(), "--max-alerts", "100");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains(bright + " alerts written to " + html), run.out());
    String page = Files.readString(html);
    List<Float> mags = new ArrayList<>();
    Matcher m = MAG.matcher(page);
    while (m.find()) {
      mags.add(Float.parseFloat(m.group(1)));
    }
    assertEquals(bright, mags.size(), "one section per alert");
    assertTrue(mags.stream().allMatch(mag -> mag < 17f), mags.toString());
    assertEquals(3 * bright, page.split("<img class=\"cutout\"", -1).length - 1, "every alert's three cutouts");
  }

  @Test
  void anUnknownStreamIsNamedWithTheFilesStreams() {
    Run run = FinkCommandTest.fink("view", "--conf", conf.toString(), "--rules", rules.toString(), "--stream",
        "nope", "--html", work.resolve("x.html").toString());
    assertEquals(2, run.exitCode(), "a usage error, before Spark starts: " + run.out() + run.err());
    assertTrue(run.err().contains("no stream 'nope'") && run.err().contains("bright, faint"), run.err());
  }
}
