package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.Watchlist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <watchlist>} in rules files: the catalog next to the rules file, and every mistake reported at its line. */
class WatchlistXmlTest {
  @TempDir Path dir;

  private Path rules(String filter) throws IOException {
    Path file = dir.resolve("rules.xml");
    Files.writeString(file, """
        <distribution-rules>
          <stream name="w" topic="fink_w">
            <filter>
        %s
            </filter>
          </stream>
        </distribution-rules>
        """.formatted(filter));
    return file;
  }

  @Test
  void theCatalogIsReadFromTheRulesFilesFolderAndTheRulesRoundTrip() throws Exception {
    Files.createDirectories(dir.resolve("lists"));
    Path catalog = dir.resolve("lists/known.csv");
    Files.writeString(catalog, "name,ra,dec\ncrab,83.63308,22.0145\n");
    Path file = rules("""
          <watchlist ra="candidate.ra" dec="candidate.dec" file="lists/known.csv" radius="2 arcsec" annotate="true"/>
        """);
    DistributionRules read = RulesXml.read(file);
    Watchlist w = (Watchlist) read.streams().get(0).filter().get(0);
    assertEquals(catalog, w.file());
    assertEquals(Rules.of(Rules.stream("w").topic("fink_w").filter(Rules.watchlist("candidate.ra", "candidate.dec")
        .file(catalog).within(2, AngleUnit.ARCSEC).annotated())), read);
    String xml = RulesXml.write(read);
    assertTrue(xml.contains("<watchlist ra=\"candidate.ra\" dec=\"candidate.dec\" file=\"" + catalog
        + "\" radius=\"2\" unit=\"arcsec\" annotate=\"true\"/>"), xml);
    RulesXsd.validate(Files.readString(file), file.toString());
    RulesXsd.validate(xml, "written.xml");
    assertEquals(read, RulesXml.read(Files.writeString(dir.resolve("lists/written.xml"), xml)));
  }

  @Test
  void everyMistakeOfTheElementAndOfItsCatalogIsReportedAtItsLine() throws IOException {
    Files.writeString(dir.resolve("bad.csv"), "name,ra,dec\na,1,1\na,400,1\n");
    Path file = rules("""
          <watchlist ra="candidate.ra" dec="candidate.dec" radius="2" unit="arcsec"/>
          <watchlist ra="candidate.ra" dec="candidate.dec" file="x.csv" radius="2 parsec"/>
          <watchlist ra="candidate.ra" dec="candidate.dec" file="x.csv" radius="2 arcsec" unit="deg"/>
          <watchlist ra="candidate.ra" file="x.csv" radius="two" annotate="yes"/>
          <watchlist ra="candidate.ra" dec="candidate.dec" file="none.csv" radius="2" unit="arcsec"/>
          <watchlist ra="candidate.ra" dec="candidate.dec" file="bad.csv" radius="2" unit="arcsec"/>
          <watchlist ra="candidate.ra" dec="candidate.dec" file="bad.csv" radius="3" unit="deg"/>
        """);
    RulesXml.Checked checked = RulesXml.check(file);
    List<RuleProblem> problems = checked.problems();
    List<String> messages = problems.stream().map(RuleProblem::toString).toList();
    String all = String.join("\n", messages);
    assertContains(messages.get(0), "rules.xml:4:", "needs a file attribute", "file=\"watchlist.csv\"");
    assertContains(messages.get(1), "rules.xml:5:", "unknown unit \"parsec\"");
    assertContains(messages.get(2), "rules.xml:6:", "disagree");
    assertContains(all, "rules.xml:7:", "needs a dec attribute", "radius \"two\" is not a number",
        "annotate=\"yes\" must be true or false");
    assertContains(all, "rules.xml:8:", "watchlist catalog " + dir.resolve("none.csv") + " does not exist");
    assertContains(all, "rules.xml:9:", "line 3: column name holds \"a\", already the name",
        "line 3: column ra is 400");
    assertContains(all, "rules.xml:10:", "watchlist radius 3 deg is not above 0 and at most 1 degree");
    assertTrue(problems.stream().allMatch(p -> p.location() != null && p.location().line() >= 4), all);
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), "\"" + part + "\" not in: " + text);
    }
  }
}
