package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RulesXmlTest {

  /** The internal DTD of the original Fink rules files. */
  private static final String DTD = """
      <!DOCTYPE distribution-rules [
        <!ELEMENT distribution-rules (select, drop?, filter?) >
        <!ELEMENT select (column+) >
        <!ELEMENT drop (column*) >
        <!ELEMENT filter (column*) >
        <!ELEMENT column (#PCDATA)>
        <!ATTLIST column name CDATA #REQUIRED
                         subcol CDATA #IMPLIED
                         operator CDATA #IMPLIED
                         value CDATA #IMPLIED >
      ]>
      """;

  @TempDir Path dir;

  private static Path resource(String name) {
    try {
      return Path.of(RulesXmlTest.class.getResource("/rules/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static DistributionRules single(List<FieldPath> select, List<FieldPath> drop, List<Condition> filter) {
    return new DistributionRules(List.of(
        new DistributionStream(DistributionRules.DEFAULT_STREAM, null, select, drop, filter)));
  }

  private static FieldPath path(String dotted) {
    return FieldPath.of(dotted);
  }

  private static Comparison cmp(String field, Operator op, Literal value) {
    return new Comparison(FieldPath.of(field), op, value);
  }

  private static Literal num(String value) {
    return new Literal.Number(new BigDecimal(value));
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
    }
  }

  private static RuleException readFails(Path file) {
    return assertThrows(RuleException.class, () -> RulesXml.read(file));
  }

  private static RuleProblem only(RuleException e) {
    assertEquals(1, e.problems().size(), () -> "expected one problem: " + e.getMessage());
    return e.problems().get(0);
  }

  // ---------------------------------------------------------------- original sample files

  @Test
  void originalSampleWithSelectDropFilterAndInternalDtd() {
    Path file = resource("distribution-rules-sample.xml");
    DistributionRules rules = RulesXml.read(file);
    DistributionRules expected = single(
        List.of(path("objectId"), path("candid"), path("candidate.jd"), path("candidate.ra"), path("candidate.dec"),
            path("candidate.magpsf"), path("prv_candidates"), path("simbadType")),
        List.of(path("candidate.jd")),
        List.of(cmp("candidate.magpsf", Operator.GT, num("16")),
            cmp("candidate.ra", Operator.LT, num("22")),
            cmp("simbadType", Operator.EQ, Literal.of("Star"))));
    assertEquals(expected, rules);

    DistributionStream stream = rules.streams().get(0);
    assertEquals(DistributionRules.DEFAULT_STREAM, stream.name());
    assertEquals(null, stream.topic());
    assertEquals("fink_outstream", stream.topicOr("fink_outstream"));
    assertEquals(List.of("candidate", "magpsf"), stream.select().get(5).segments());
    Comparison star = (Comparison) stream.filter().get(2);
    assertEquals(new Literal.Text("Star"), star.value(), "quotes are not part of the string");
  }

  @Test
  void originalSampleLocationsPointToTheirLines() {
    Path file = resource("distribution-rules-sample.xml");
    DistributionRules rules = RulesXml.read(file);
    DistributionStream stream = rules.streams().get(0);
    // select lines 21-28, drop line 33, filter lines 39-41 (see the resource)
    for (int i = 0; i < stream.select().size(); i++) {
      SourceLocation at = rules.locationOf(stream.select().get(i)).orElseThrow();
      assertEquals(file.toString(), at.file());
      assertEquals(21 + i, at.line(), "select column " + i);
      assertTrue(at.column() > 0);
    }
    assertEquals(33, rules.locationOf(stream.drop().get(0)).orElseThrow().line());
    for (int i = 0; i < stream.filter().size(); i++) {
      assertEquals(39 + i, rules.locationOf(stream.filter().get(i)).orElseThrow().line(), "filter column " + i);
    }
    assertTrue(rules.locationOf(stream).isPresent());
    // a node built by hand, even if equal, has no location
    assertTrue(rules.locationOf(path("objectId")).isEmpty());
  }

  @Test
  void originalSelectOnly() {
    DistributionRules rules = RulesXml.read(resource("distribution-rules-select-only.xml"));
    assertEquals(single(
        List.of(path("objectId"), path("candid"), path("candidate.ra"), path("candidate.dec"),
            path("candidate.magpsf"), path("cdsxmatch")),
        List.of(), List.of()), rules);
  }

  @Test
  void originalStringFilter() {
    DistributionRules rules = RulesXml.read(resource("distribution-rules-string-filter.xml"));
    assertEquals(single(
        List.of(path("objectId"), path("candidate"), path("cdsxmatch")),
        List.of(),
        List.of(cmp("cdsxmatch", Operator.EQ, Literal.of("Star")))), rules);
  }

  @Test
  void allOperatorsBySymbolAndWordAndNumberForms() throws IOException {
    Path file = file("ops.xml", """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="a" operator="&lt;" value="1"/>
            <column name="a" operator="&lt;=" value="-1.5"/>
            <column name="a" operator="=" value="2e3"/>
            <column name="a" operator="!=" value="'x y'"/>
            <column name="a" operator="&gt;=" value=" 3 "/>
            <column name="a" operator="&gt;" value="0.5"/>
            <column name="a" operator="==" value="4"/>
            <column name="a" operator="ge" value="5"/>
            <column name="a" operator="LT" value="''"/>
          </filter>
        </distribution-rules>
        """);
    List<Condition> filter = RulesXml.read(file).streams().get(0).filter();
    assertEquals(List.of(
        cmp("a", Operator.LT, num("1")),
        cmp("a", Operator.LE, num("-1.5")),
        cmp("a", Operator.EQ, num("2e3")),
        cmp("a", Operator.NE, Literal.of("x y")),
        cmp("a", Operator.GE, num("3")),
        cmp("a", Operator.GT, num("0.5")),
        cmp("a", Operator.EQ, num("4")),
        cmp("a", Operator.GE, num("5")),
        cmp("a", Operator.LT, Literal.of(""))), filter);
  }

  @Test
  void dottedNameEqualsNameAndSubcol() throws IOException {
    Path file = file("dotted.xml", """
        <distribution-rules>
          <select><column name="candidate.magpsf"/><column name="candidate" subcol="ra"/></select>
        </distribution-rules>
        """);
    assertEquals(List.of(path("candidate.magpsf"), path("candidate.ra")),
        RulesXml.read(file).streams().get(0).select());
  }

  @Test
  void projectConfigurationFileParses() {
    String home = System.getProperty("fink.home");
    Path root = home != null ? Path.of(home) : Path.of("..");
    Path conf = root.resolve("conf/distribution-rules.xml");
    assertTrue(Files.isRegularFile(conf), "missing " + conf.toAbsolutePath());
    DistributionRules rules = RulesXml.read(conf);
    DistributionStream stream = rules.streams().get(0);
    assertFalse(stream.select().isEmpty());
    assertTrue(stream.select().contains(path("objectId")));
    assertEquals(rules, RulesXml.read(new ByteArrayInputStream(
        RulesXml.write(rules).getBytes(StandardCharsets.UTF_8)), "written"));
  }

  // ---------------------------------------------------------------- round trip

  @ParameterizedTest
  @ValueSource(strings = {"distribution-rules-sample.xml", "distribution-rules-select-only.xml",
      "distribution-rules-string-filter.xml"})
  void writeThenReadGivesTheSameRules(String name) {
    DistributionRules rules = RulesXml.read(resource(name));
    String xml = RulesXml.write(rules);
    DistributionRules back = RulesXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), name);
    assertEquals(rules, back);
    assertEquals(xml, RulesXml.write(back), "writing is stable");
  }

  @Test
  void writtenXmlEscapesOperatorsAndKeepsQuotes() {
    DistributionRules rules = single(List.of(path("objectId")), List.of(path("candidate.programpi")),
        List.of(cmp("candidate.magpsf", Operator.LT, num("18")), cmp("cdsxmatch", Operator.EQ, Literal.of("Star")),
            cmp("candidate.rb", Operator.GE, num("0.5"))));
    String xml = RulesXml.write(rules);
    assertContains(xml, "<distribution-rules>", "name=\"candidate.magpsf\"", "operator=\"&lt;\"", "value=\"18\"",
        "value=\"'Star'\"", "<drop>", "name=\"candidate.programpi\"");
    assertEquals(rules, RulesXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "mem"));
  }

  // ---------------------------------------------------------------- bad files

  @Test
  void missingSelectIsReported() throws IOException {
    Path file = file("noselect.xml", """
        <distribution-rules>
          <filter><column name="candidate" subcol="magpsf" operator="&lt;" value="18"/></filter>
        </distribution-rules>
        """);
    RuleProblem problem = only(readFails(file));
    assertContains(problem.message(), "<select>", "missing");
    assertEquals(file.toString(), problem.location().file());
    assertContains(problem.toString(), file.toString());
  }

  @Test
  void emptySelectIsReported() throws IOException {
    Path file = file("emptyselect.xml", "<distribution-rules><select/></distribution-rules>");
    assertContains(only(readFails(file)).message(), "<select>");
  }

  @Test
  void unknownOperatorIsNamedWithValidOnesLineAndColumn() throws IOException {
    Path file = file("op.xml", """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="objectId" operator="~" value="'ZTF'"/>
          </filter>
        </distribution-rules>
        """);
    RuleException e = readFails(file);
    RuleProblem problem = only(e);
    assertContains(problem.message(), "\"~\"", "< <= = != >= >");
    assertEquals(4, problem.location().line());
    assertTrue(problem.location().column() > 0);
    assertContains(e.getMessage(), file + ":4:");
  }

  @Test
  void valueNeitherNumberNorQuotedStringShowsTheFix() throws IOException {
    Path file = file("value.xml", """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter>
            <column name="cdsxmatch" operator="=" value="Star"/>
          </filter>
        </distribution-rules>
        """);
    RuleProblem problem = only(readFails(file));
    assertContains(problem.message(), "\"Star\"", "neither a number nor a quoted string", "value=\"'Star'\"");
    assertEquals(4, problem.location().line());
  }

  @Test
  void missingValueAndMissingOperatorAndMissingName() throws IOException {
    Path noValue = file("novalue.xml", """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter><column name="candidate" subcol="magpsf" operator="&lt;"/></filter>
        </distribution-rules>
        """);
    RuleProblem p1 = only(readFails(noValue));
    assertContains(p1.message(), "value attribute");
    assertEquals(3, p1.location().line());

    Path noOperator = file("noop.xml", """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <filter><column name="candidate" subcol="magpsf" value="18"/></filter>
        </distribution-rules>
        """);
    assertContains(only(readFails(noOperator)).message(), "operator attribute");

    Path noName = file("noname.xml", """
        <distribution-rules>
          <select>
            <column subcol="magpsf"/>
          </select>
        </distribution-rules>
        """);
    RuleProblem p3 = only(readFails(noName));
    assertContains(p3.message(), "name attribute");
    assertEquals(3, p3.location().line());
  }

  @Test
  void conditionAttributesInSelectAreReported() throws IOException {
    Path file = file("selectcond.xml", """
        <distribution-rules>
          <select><column name="objectId" operator="=" value="'x'"/></select>
        </distribution-rules>
        """);
    assertContains(only(readFails(file)).message(), "<filter>");
  }

  @Test
  void malformedXmlReportsLineAndColumn() throws IOException {
    Path file = file("malformed.xml", """
        <distribution-rules>
          <select>
            <column name="objectId">
          </select>
        </distribution-rules>
        """);
    RuleException e = readFails(file);
    RuleProblem problem = only(e);
    assertContains(problem.message(), "line 4", "column");
    assertEquals(file.toString(), problem.location().file());
    assertEquals(4, problem.location().line(), "the location carries the line too: " + problem);
  }

  @Test
  void notXmlAtAll() throws IOException {
    Path file = file("notxml.xml", "select objectId where magpsf < 18\n");
    RuleProblem problem = only(readFails(file));
    assertContains(problem.toString(), file.toString(), "line 1");
  }

  @Test
  void unknownElementIsReportedWithTheAllowedOnesAlongWithOtherProblems() throws IOException {
    Path file = file("unknown.xml", """
        <distribution-rules>
          <select><column name="objectId"/></select>
          <where><column name="objectId" operator="=" value="'x'"/></where>
          <filter><column name="objectId" operator="~" value="'x'"/></filter>
        </distribution-rules>
        """);
    RuleException e = readFails(file);
    assertEquals(2, e.problems().size(), e::getMessage);
    RuleProblem unknown = e.problems().get(0);
    assertContains(unknown.message(), "unknown element <where>", "<select>, <drop>, <filter> or <stream>");
    assertEquals(3, unknown.location().line());
    assertContains(e.problems().get(1).message(), "\"~\"");
    assertEquals(4, e.problems().get(1).location().line());
  }

  @Test
  void unknownAttributeIsReportedNotIgnored() throws IOException {
    Path file = file("attr.xml", """
        <distribution-rules>
          <select>
            <column name="candidate" subcoll="magpsf"/>
          </select>
        </distribution-rules>
        """);
    RuleProblem problem = only(readFails(file));
    assertContains(problem.message(), "unknown attribute subcoll", "name, subcol, operator and value");
    assertEquals(3, problem.location().line());
  }

  @Test
  void wrongRootElementIsReported() throws IOException {
    Path file = file("root.xml", "<rules><select><column name=\"objectId\"/></select></rules>\n");
    RuleException e = readFails(file);
    assertContains(e.getMessage(), "rules", file.toString());
  }

  @Test
  void everyProblemOfAFileIsReportedWithItsLine() throws IOException {
    Path file = file("many.xml", """
        <distribution-rules>
          <select>
            <column subcol="ra"/>
          </select>
          <filter>
            <column name="candidate" subcol="magpsf" operator="~" value="18"/>
            <column name="cdsxmatch" operator="=" value="Star"/>
            <column name="candidate" subcol="rb" operator="&gt;"/>
          </filter>
        </distribution-rules>
        """);
    RuleException e = readFails(file);
    List<RuleProblem> problems = e.problems();
    assertEquals(4, problems.size(), e::getMessage);
    assertEquals(List.of(3, 6, 7, 8), problems.stream().map(p -> p.location().line()).toList());
    assertContains(problems.get(0).message(), "name attribute");
    assertContains(problems.get(1).message(), "\"~\"");
    assertContains(problems.get(2).message(), "'Star'");
    assertContains(problems.get(3).message(), "value attribute");
    for (RuleProblem p : problems) {
      assertContains(e.getMessage(), p.toString());
    }
  }

  @Test
  void missingFileIsAClearError() {
    Path missing = dir.resolve("nope.xml");
    RuleException e = readFails(missing);
    assertContains(e.getMessage(), "cannot read rules file", missing.toString());
  }

  // ---------------------------------------------------------------- external entities

  @Test
  void externalEntityIsNeverRead() throws IOException {
    String secret = "SECRET-" + UUID.randomUUID();
    Path secretFile = file("secret.txt", secret + "\n");
    for (String target : List.of(secretFile.toUri().toString(), "file:///etc/passwd")) {
      for (String use : List.of(
          "<filter><column name=\"objectId\" operator=\"=\" value=\"&xxe;\"/></filter>",
          "<drop><column name=\"objectId\">&xxe;</column></drop>")) {
        Path file = file("xxe.xml", "<?xml version=\"1.0\"?>\n"
            + "<!DOCTYPE distribution-rules [\n  <!ENTITY xxe SYSTEM \"" + target + "\">\n]>\n"
            + "<distribution-rules>\n  <select><column name=\"objectId\"/></select>\n  " + use
            + "\n</distribution-rules>\n");
        String seen;
        try {
          seen = RulesXml.read(file).toString();
        } catch (RuleException e) {
          seen = e.getMessage();
        }
        assertFalse(seen.contains(secret), seen);
        assertFalse(seen.contains("root:"), seen);
      }
    }
  }

  @Test
  void externalDtdAndParameterEntitiesAreNeverFetched() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = "<!ENTITY leak \"LEAKED\">".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/rules.dtd";
      String body = "<distribution-rules>\n  <select><column name=\"objectId\"/></select>\n</distribution-rules>\n";
      Path external = file("extdtd.xml", "<?xml version=\"1.0\"?>\n"
          + "<!DOCTYPE distribution-rules SYSTEM \"" + url + "\">\n" + body);
      Path parameter = file("param.xml", "<?xml version=\"1.0\"?>\n"
          + "<!DOCTYPE distribution-rules [\n  <!ENTITY % ext SYSTEM \"" + url + "\">\n  %ext;\n]>\n" + body);
      for (Path file : List.of(external, parameter)) {
        String seen;
        try {
          DistributionRules rules = RulesXml.read(file);
          assertEquals(single(List.of(path("objectId")), List.of(), List.of()), rules);
          seen = rules.toString();
        } catch (RuleException e) {
          seen = e.getMessage();
          assertContains(seen, file.toString());
        }
        assertFalse(seen.contains("LEAKED"), seen);
      }
      // The parse is synchronous: had the parser fetched the DTD, the request would already have been served.
      assertEquals(0, requests.get(), "the parser fetched an external DTD or entity");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void entityExpansionBombIsRefused() throws IOException {
    StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE distribution-rules [\n"
        + "  <!ENTITY a0 \"aaaaaaaaaa\">\n");
    for (int i = 1; i <= 10; i++) {
      String p = "&a" + (i - 1) + ";";
      doc.append("  <!ENTITY a").append(i).append(" \"").append(p.repeat(10)).append("\">\n");
    }
    doc.append("]>\n<distribution-rules><select><column name=\"objectId\"/></select>"
        + "<filter><column name=\"x\" operator=\"=\" value=\"'&a10;'\"/></filter></distribution-rules>\n");
    Path file = file("bomb.xml", doc.toString());
    RuleException e = readFails(file);
    assertContains(e.getMessage(), file.toString());
  }
}
