package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of mistake in a rules file is reported with its file, line and column (of the {@code <} opening the
 * element), what is wrong and the fix; all mistakes of a file at once.
 */
class RuleErrorsTest {
  @TempDir Path dir;

  /** The problems of reading {@code text} as a rules file. */
  private List<RuleProblem> problems(String text) throws IOException {
    Path file = dir.resolve("rules.xml");
    Files.writeString(file, text);
    RuleException e = assertThrows(RuleException.class, () -> RulesXml.read(file));
    for (RuleProblem p : e.problems()) {
      assertEquals(file.toString(), p.location().file());
      assertTrue(e.getMessage().contains(file + ":" + p.location().line() + ":" + p.location().column() + ": "
          + p.message()), e.getMessage());
    }
    return e.problems();
  }

  /** The one problem of {@code filter} (conditions in a stream's filter, from line 3, column 5). */
  private RuleProblem inFilter(String conditions) throws IOException {
    List<RuleProblem> problems = problems("<distribution-rules>\n<stream name=\"s\"><filter>\n" + conditions
        + "\n</filter></stream>\n</distribution-rules>\n");
    assertEquals(1, problems.size(), problems::toString);
    return problems.get(0);
  }

  private static void assertProblem(RuleProblem problem, int line, int column, String... parts) {
    assertEquals(line + ":" + column, problem.location().line() + ":" + problem.location().column(),
        problem::toString);
    for (String part : parts) {
      assertTrue(problem.message().contains(part), () -> "expected \"" + part + "\" in: " + problem.message());
    }
  }

  @Test
  void unknownOperator() throws IOException {
    assertProblem(inFilter("    <column name=\"candidate.magpsf\" operator=\"~\" value=\"18\"/>"), 3, 5,
        "unknown operator \"~\"", "< <= = != >= >", "not in", "between", "is null", "startswith", "matches");
  }

  @Test
  void missingOperatorOrValue() throws IOException {
    assertProblem(inFilter("  <column name=\"candidate.magpsf\" value=\"18\"/>"), 3, 3, "needs an operator");
    assertProblem(inFilter("<column name=\"candidate.magpsf\" operator=\"&lt;\"/>"), 3, 1, "needs a value",
        "value=\"'Star'\"");
    assertProblem(inFilter("<column name=\"a\" operator=\"in\"/>"), 3, 1, "needs a value", "value=\"1, 2\"");
    assertProblem(inFilter("<column name=\"a\" operator=\"between\"/>"), 3, 1, "low and high bounds");
  }

  @Test
  void valueOnIsNull() throws IOException {
    assertProblem(inFilter("   <column name=\"a\" operator=\"is null\" value=\"1\"/>"), 3, 4,
        "\"is null\" takes no value", "remove the value");
  }

  @Test
  void valueNeitherNumberNorString() throws IOException {
    assertProblem(inFilter("<column name=\"cdsxmatch\" operator=\"=\" value=\"Star\"/>"), 3, 1,
        "neither a number nor a quoted string", "value=\"'Star'\"");
  }

  @Test
  void emptyOrMalformedList() throws IOException {
    assertProblem(inFilter("<column name=\"a\" operator=\"in\" value=\" \"/>"), 3, 1, "list of \"in\" is empty",
        "at least one value");
    assertProblem(inFilter("<column name=\"a\" operator=\"not in\" value=\"'t', 'f\"/>"), 3, 1,
        "no closing quote", "''");
    assertProblem(inFilter("<column name=\"a\" operator=\"in\" value=\"1,,2\"/>"), 3, 1, "empty item");
    assertProblem(inFilter("<column name=\"a\" operator=\"in\" value=\"t, f\"/>"), 3, 1,
        "\"t\" is neither a number nor a quoted string", "'t'");
  }

  @Test
  void betweenNeedsTwoValues() throws IOException {
    assertProblem(inFilter("<column name=\"a\" operator=\"between\" value=\"1, 2, 3\"/>"), 3, 1,
        "between needs two values", "found 3");
  }

  @Test
  void invalidRegexIsCaughtAtLoadTime() throws IOException {
    assertProblem(inFilter("<column name=\"candidate.ssnamenr\" operator=\"matches\" value=\"'^[0-9+$'\"/>"), 3, 1,
        "invalid regular expression '^[0-9+$'", "Unclosed character class", "character");
    assertProblem(inFilter("<column name=\"objectId\" operator=\"startswith\" value=\"21\"/>"), 3, 1,
        "startswith takes a string in single quotes", "value=\"'21'\"");
  }

  @Test
  void groupsNeedConditionsAndNotExactlyOne() throws IOException {
    assertProblem(inFilter("<or/>"), 3, 1, "<or> holds no condition");
    assertProblem(inFilter("<and>\n</and>"), 3, 1, "<and> holds no condition");
    assertProblem(inFilter("<not>\n <column name=\"a\" operator=\"=\" value=\"1\"/>\n"
        + " <column name=\"b\" operator=\"=\" value=\"1\"/>\n</not>"), 3, 1, "<not> holds 2 conditions",
        "wrap them in <and> or <or>");
  }

  @Test
  void arrayConditionsNeedTheirParts() throws IOException {
    assertProblem(inFilter("<any array=\"prv_candidates\"/>"), 3, 1, "<any> needs at least one condition");
    assertProblem(inFilter("<count operator=\"&gt;\" value=\"2\"/>"), 3, 1, "needs an array attribute");
    assertProblem(inFilter("<count array=\"prv_candidates\" operator=\"&gt;\" value=\"'2'\"/>"), 3, 1,
        "<count> compares a number", "value=\"2\" without quotes");
    assertProblem(inFilter("<count array=\"prv_candidates\" value=\"2\"/>"), 3, 1, "<count> needs an operator");
    assertProblem(inFilter("<count array=\"prv_candidates\" operator=\"in\" value=\"2\"/>"), 3, 1,
        "unknown operator \"in\" for <count>");
    assertProblem(inFilter("<count array=\"prv_candidates\" field=\"jd\" operator=\"=\" value=\"2\"/>"), 3, 1,
        "<count> has no attribute field", "array, operator and value");
    assertProblem(inFilter("<min array=\"prv_candidates\" operator=\"&lt;\" value=\"17\"/>"), 3, 1,
        "<min> needs a field attribute");
    assertProblem(inFilter("<span array=\"prv_candidates\" field=\"jd\" operator=\"&gt;\"/>"), 3, 1,
        "<span> needs a value attribute");
    assertProblem(inFilter("<all array=\"prv_candidates\" operator=\"=\"><column name=\"fid\" operator=\"=\""
        + " value=\"1\"/></all>"), 3, 1, "<all> has no attribute operator");
  }

  @Test
  void coneMistakes() throws IOException {
    assertProblem(inFilter("<cone ra=\"candidate.ra\" dec=\"candidate.dec\" radius=\"1\"/>"), 3, 1,
        "needs a center attribute", "center=\"83.63308, 22.01450\"");
    assertProblem(inFilter("<cone ra=\"83.63\" dec=\"candidate.dec\" center=\"1, 2\" radius=\"1\"/>"), 3, 1,
        "ra=\"83.63\" must name a field", "center=\"ra, dec\"");
    assertProblem(inFilter("<cone ra=\"candidate.ra\" dec=\"candidate.dec\" center=\"1, 95\" radius=\"1\"/>"), 3, 1,
        "dec 95 is not between -90 and 90");
    assertProblem(inFilter("<cone ra=\"candidate.ra\" dec=\"candidate.dec\" center=\"1\" radius=\"1\"/>"), 3, 1,
        "must be two numbers");
    assertProblem(inFilter("<cone ra=\"candidate.ra\" dec=\"candidate.dec\" center=\"1, 2\" radius=\"0\"/>"), 3, 1,
        "radius 0 deg is not above 0");
    assertProblem(inFilter("<cone ra=\"candidate.ra\" dec=\"candidate.dec\" center=\"1, 2\" radius=\"5\""
        + " unit=\"arcsecond\"/>"), 3, 1, "unknown unit \"arcsecond\"", "deg, arcmin or arcsec");
  }

  @Test
  void unknownElementsAndAttributesAreNamedWithTheAllowedOnes() throws IOException {
    assertProblem(inFilter("  <where name=\"a\"/>"), 3, 3, "unknown element <where>", "expected a condition",
        "<column>, <and>, <or>, <not>, <count>, <any>, <all>, <min>, <max>, <span>, <cone> or <watchlist>");
    assertProblem(inFilter("<column name=\"a\" operatr=\"=\" operator=\"=\" value=\"1\"/>"), 3, 1,
        "<column> has an unknown attribute operatr", "name, subcol, operator and value");
    assertProblem(inFilter("<cone ra=\"candidate.ra\" dec=\"candidate.dec\" center=\"1, 2\" radius=\"5\""
        + " units=\"deg\"/>"), 3, 1, "unknown attribute units", "ra, dec, center, radius and unit");
  }

  @Test
  void streamMistakes() throws IOException {
    List<RuleProblem> problems = problems("""
        <distribution-rules>
          <select/>
          <stream topic="t1"/>
          <stream name="a" topic="fink_a"/>
          <stream name="a" topic="fink_b"/>
          <stream name="b"/>
          <stream name="c"/>
          <stream name="d" topic="fink_a"/>
          <stream name="bad name" topic="bad/topic"/>
          <stream name="e" tpoic="x"/>
        </distribution-rules>
        """);
    assertEquals(8, problems.size(), problems::toString);
    assertProblem(problems.get(0), 2, 3, "<select> is empty", "remove it to distribute every field");
    assertProblem(problems.get(1), 3, 3, "<stream> needs a name attribute");
    assertProblem(problems.get(2), 5, 3, "a stream named a is already declared at line 4", "unique name");
    assertProblem(problems.get(3), 7, 3, "streams b (line 6) and c both publish to the default topic",
        "its own topic");
    assertProblem(problems.get(4), 8, 3, "streams a (line 4) and d both publish to topic fink_a");
    assertProblem(problems.get(5), 9, 3, "stream name \"bad name\" may hold only letters");
    assertProblem(problems.get(6), 10, 3, "<stream> has an unknown attribute tpoic", "name and topic");
    assertProblem(problems.get(7), 10, 3, "both publish to the default topic");
  }

  @Test
  void theOriginalFormatNeedsSelect() throws IOException {
    List<RuleProblem> problems = problems("""
        <distribution-rules>
          <filter><column name="candidate.magpsf" operator="&lt;" value="18"/></filter>
        </distribution-rules>
        """);
    assertEquals(1, problems.size());
    assertProblem(problems.get(0), 1, 1, "<select> is missing", "write a <stream> without <select>");
  }

  @Test
  void xmlSyntaxErrorsCarryTheParsersPosition() throws IOException {
    List<RuleProblem> problems = problems("<distribution-rules>\n  <select>\n    <column name=\"a\">\n  </select>\n"
        + "</distribution-rules>\n");
    assertEquals(1, problems.size());
    assertProblem(problems.get(0), 4, 5, "line 4, column 5", "must be terminated by the matching end-tag");
  }

  @Test
  void everyProblemOfAFileIsReportedSortedByPosition() throws IOException {
    List<RuleProblem> problems = problems("""
        <distribution-rules>
          <stream name="s">
            <filter>
              <column name="a" operator="in" value=""/>
              <or>
                <column name="b" operator="matches" value="'('"/>
                <column name="c" operator="like" value="'x%'"/>
              </or>
              <not/>
              <cone ra="candidate.ra" dec="candidate.dec" center="400, 0" radius="1"/>
              <count array="prv_candidates" operator="&gt;" value="x"/>
            </filter>
          </stream>
        </distribution-rules>
        """);
    assertEquals(List.of("4:7", "6:9", "7:9", "9:7", "10:7", "11:7"),
        problems.stream().map(p -> p.location().line() + ":" + p.location().column()).toList(),
        problems::toString);
  }

  @Test
  void externalEntitiesAreRefusedAndNothingIsRead() throws IOException {
    String secret = "SECRET-" + UUID.randomUUID();
    Path secretFile = Files.writeString(dir.resolve("secret.txt"), secret);
    List<RuleProblem> problems = problems("<?xml version=\"1.0\"?>\n<!DOCTYPE distribution-rules [\n"
        + "  <!ENTITY xxe SYSTEM \"" + secretFile.toUri() + "\">\n]>\n<distribution-rules>\n"
        + "  <select><column name=\"objectId\"/></select>\n"
        + "  <drop><column name=\"objectId\">&xxe;</column></drop>\n</distribution-rules>\n");
    assertEquals(1, problems.size(), problems::toString);
    assertProblem(problems.get(0), 3, 3, "declares the external entity xxe", "may not load other files");
    assertFalse(problems.toString().contains(secret));

    List<RuleProblem> parameter = problems("<?xml version=\"1.0\"?>\n<!DOCTYPE distribution-rules [\n"
        + "  <!-- <!ENTITY commented SYSTEM \"x\"> is only a comment -->\n"
        + "  <!ENTITY % ext PUBLIC \"-//x//EN\" \"" + secretFile.toUri() + "\">\n]>\n"
        + "<distribution-rules><select><column name=\"objectId\"/></select></distribution-rules>\n");
    assertEquals(1, parameter.size(), parameter::toString);
    assertProblem(parameter.get(0), 4, 3, "external entity ext");

    List<RuleProblem> dtd = problems("<?xml version=\"1.0\"?>\n"
        + "<!DOCTYPE distribution-rules SYSTEM \"" + secretFile.toUri() + "\">\n"
        + "<distribution-rules><select><column name=\"objectId\"/></select></distribution-rules>\n");
    assertProblem(dtd.get(0), 2, 1, "refers to an external DTD (SYSTEM)");
  }
}
