package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.InList;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules files beyond the limits of {@link RuleLimits} are refused with the limit and the fix; at them, read. */
class RuleLimitsTest {
  @TempDir Path work;

  private static String rules(String filter) {
    return "<distribution-rules>\n<select><column name=\"objectId\"/></select>\n<filter>\n" + filter
        + "</filter>\n</distribution-rules>\n";
  }

  private static String nested(int depth) {
    return "<and>\n".repeat(depth) + "<column name=\"candidate.rb\" operator=\"&gt;\" value=\"0.5\"/>\n"
        + "</and>\n".repeat(depth);
  }

  private static RuleException refused(String xml) {
    return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(RuleException.class,
        () -> RulesXml.read(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "rules.xml")));
  }

  private static DistributionRules read(String xml) {
    return RulesXml.read(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "rules.xml");
  }

  @Test
  void aThousandNestedAndsAreRefusedWithTheLimitAndWhere() {
    RuleException e = refused(rules(nested(1000)));
    assertEquals(1, e.problems().size(), e.getMessage());
    // root, filter and 62 <and>: the 63rd <and> is element 65, on line 4 + 62
    assertTrue(e.getMessage().startsWith("rules.xml:66:1: <and> is nested 65 elements deep, beyond the limit of 64;"
        + " flatten"), e.getMessage());
  }

  @Test
  void nestingUpToTheLimitIsRead() {
    DistributionRules rules = read(rules(nested(RuleLimits.MAX_DEPTH - 3)));
    assertEquals(1, rules.streams().get(0).filter().size());
  }

  @Test
  void anInListBeyondTheLimitIsRefused() {
    String values = IntStream.rangeClosed(0, RuleLimits.MAX_LIST_VALUES).mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
    RuleException e = refused(rules("<column name=\"candidate.fid\" operator=\"in\" value=\"" + values + "\"/>\n"));
    assertTrue(e.getMessage().startsWith("rules.xml:4:1: the in list of candidate.fid holds 10001 values, more than"
        + " the limit of 10000; split it"), e.getMessage());

    String atLimit = values.substring(0, values.lastIndexOf(','));
    DistributionRules rules = read(rules("<column name=\"candidate.fid\" operator=\"in\" value=\"" + atLimit
        + "\"/>\n"));
    assertEquals(RuleLimits.MAX_LIST_VALUES, ((InList) rules.streams().get(0).filter().get(0)).values().size());
  }

  @Test
  void tooManyConditionsAreRefused() {
    String one = "<column name=\"candidate.rb\" operator=\"&gt;\" value=\"0.5\"/>\n";
    RuleException e = refused(rules(one.repeat(50_000)));
    assertTrue(e.getMessage().contains("the rules hold 50000 conditions, more than the limit of "
        + RuleLimits.MAX_CONDITIONS + " per file (a shared condition counts once per stream); write long lists of"
        + " equalities as one in list"), e.getMessage());
    assertTrue(e.getMessage().startsWith("rules.xml:" + (4 + RuleLimits.MAX_CONDITIONS) + ":1: "), e.getMessage());
    assertEquals(RuleLimits.MAX_CONDITIONS, read(rules(one.repeat(RuleLimits.MAX_CONDITIONS))).streams().get(0)
        .filter().size());
  }

  @Test
  void sharedConditionsCountOncePerStream() {
    String shared = "<column name=\"candidate.rb\" operator=\"&gt;\" value=\"0.5\"/>\n".repeat(60);
    String streams = IntStream.range(0, 9).mapToObj(i -> "<stream name=\"s" + i + "\" topic=\"t" + i + "\"/>\n")
        .collect(Collectors.joining());
    RuleException e = refused("<distribution-rules>\n<filter>\n" + shared + "</filter>\n" + streams
        + "</distribution-rules>\n");
    assertTrue(e.getMessage().contains("the rules hold 540 conditions, more than the limit of 500 per file (a shared"
        + " condition counts once per stream)"), e.getMessage());
  }

  @Test
  void tooManyStreamsAreRefused() {
    String streams = IntStream.range(0, RuleLimits.MAX_STREAMS + 1)
        .mapToObj(i -> "<stream name=\"s" + i + "\" topic=\"t" + i + "\"/>\n").collect(Collectors.joining());
    RuleException e = refused("<distribution-rules>\n" + streams + "</distribution-rules>\n");
    assertTrue(e.getMessage().contains("rules.xml:" + (2 + RuleLimits.MAX_STREAMS) + ":1: the rules declare 101"
        + " streams, more than the limit of 100 per file"), e.getMessage());
  }

  @Test
  void aFileBeyondTheSizeLimitIsRefusedBeforeItIsRead() throws IOException {
    Path big = work.resolve("big.xml");
    Files.writeString(big, rules("<!--" + "x".repeat((int) RuleLimits.MAX_FILE_BYTES) + "-->\n"));
    RuleException e = assertThrows(RuleException.class, () -> RulesXml.read(big));
    assertTrue(e.getMessage().startsWith("the rules file " + big + " is too large (" + Files.size(big)
        + " bytes); the limit is 4 MiB"), e.getMessage());
  }

  @Test
  void anEndlessStreamIsCutAtTheSizeLimit() {
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return ' ';
      }
    };
    RuleException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> assertThrows(RuleException.class, () -> RulesXml.read(endless, "stdin")));
    assertTrue(e.getMessage().contains("too large (more than 4194304 bytes)"), e.getMessage());
  }

  @Test
  void entitiesThatExpandToGigabytesAreRefused() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE distribution-rules [\n<!ENTITY l0 \"lollollollollol\">\n");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    dtd.append("]>\n");
    RuleException e = refused(dtd + rules("<column name=\"objectId\" operator=\"=\" value=\"'&l9;'\"/>\n"));
    assertTrue(e.getMessage().startsWith("rules.xml:"), e.getMessage());
    assertTrue(e.getMessage().contains("entity expansions"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Rules files need no such entities: simplify or remove the DOCTYPE's entity"
        + " declarations"), e.getMessage());
  }

  @Test
  void devZeroAndFoldersAreNotRulesFiles() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero on this system");
    RuleException device = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(RuleException.class, () -> RulesXml.read(zero)));
    assertEquals("cannot read rules file /dev/zero: it is not a regular file (a device or a pipe); name an XML rules"
        + " file, e.g. conf/distribution-rules.xml", device.getMessage());
    RuleException folder = assertThrows(RuleException.class, () -> RulesXml.read(work));
    assertTrue(folder.getMessage().contains(": it is a folder;"), folder.getMessage());
  }
}
