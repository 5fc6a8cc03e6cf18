package org.fink.distribution.rules;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.fink.distribution.rules.xml.RulesXml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleValidatorTest {

  private static final Schema DB = ZtfLikeSchema.alert();

  @TempDir Path dir;

  private static DistributionRules rules(List<String> select, List<String> drop, List<Condition> filter) {
    return new DistributionRules(List.of(new DistributionStream(DistributionRules.DEFAULT_STREAM, null,
        select.stream().map(FieldPath::of).toList(), drop.stream().map(FieldPath::of).toList(), filter)));
  }

  private static DistributionRules filter(Condition... conditions) {
    return rules(List.of("objectId"), List.of(), List.of(conditions));
  }

  private static Comparison cmp(String field, Operator op, Literal value) {
    return new Comparison(FieldPath.of(field), op, value);
  }

  private static Literal num(String value) {
    return new Literal.Number(new BigDecimal(value));
  }

  private static String onlyProblem(DistributionRules rules) {
    List<RuleProblem> problems = RuleValidator.problems(rules, DB);
    assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
    return problems.get(0).message();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
    }
  }

  @Test
  void validRulesHaveNoProblem() {
    DistributionRules ok = rules(
        List.of("objectId", "candid", "candidate.magpsf", "candidate", "prv_candidates", "prv_candidates.magpsf",
            "cutoutScience"),
        List.of("candidate.jd", "prv_candidates.fid", "cutoutScience.stampData"),
        List.of(cmp("candidate.magpsf", Operator.LT, num("18")),
            cmp("candidate.isdiffpos", Operator.EQ, Literal.of("t")),
            cmp("candidate.jd", Operator.GE, num("2458800.5")),
            cmp("candidate.fid", Operator.NE, num("3")),
            cmp("candid", Operator.GT, num("1")),
            cmp("candidate.ssnamenr", Operator.EQ, Literal.of("null")),
            cmp("objectId", Operator.EQ, Literal.of("ZTF19acihgng")),
            cmp("cutoutScience.fileName", Operator.NE, Literal.of(""))));
    assertEquals(List.of(), RuleValidator.problems(ok, DB));
    assertDoesNotThrow(() -> RuleValidator.validate(ok, DB));
  }

  @Test
  void unknownFieldSuggestsTheClosest() {
    String message = onlyProblem(rules(List.of("objectId", "candidate.magpfs"), List.of(), List.of()));
    assertContains(message, "unknown field candidate.magpfs", "did you mean candidate.magpsf?");

    assertContains(onlyProblem(filter(cmp("objectid", Operator.EQ, Literal.of("x")))),
        "unknown field objectid", "did you mean objectId?");
    assertContains(onlyProblem(rules(List.of("objectId"), List.of("prv_candidates.jdd"), List.of())),
        "did you mean prv_candidates.jd?");
  }

  @Test
  void unknownFieldFarFromAnySaysItIsNotInTheSchema() {
    assertContains(onlyProblem(rules(List.of("cross_match_alerts_per_batch"), List.of(), List.of())),
        "unknown field cross_match_alerts_per_batch", "not in the science database schema");
  }

  @Test
  void numberComparedToStringFieldShowsTheQuotedFix() {
    String message = onlyProblem(filter(cmp("candidate.isdiffpos", Operator.EQ, num("1"))));
    assertContains(message, "candidate.isdiffpos is a string", "compared to the number 1",
        "value=\"'1'\"");
    assertContains(onlyProblem(filter(cmp("candidate.ssnamenr", Operator.EQ, num("5")))),
        "candidate.ssnamenr is a string", "single quotes");
  }

  @Test
  void stringComparedToNumberFieldShowsTheUnquotedFix() {
    String message = onlyProblem(filter(cmp("candidate.magpsf", Operator.LT, Literal.of("18"))));
    assertContains(message, "candidate.magpsf is a number (float)", "compared to the string '18'",
        "without quotes");
    assertContains(onlyProblem(filter(cmp("candid", Operator.EQ, Literal.of("x")))), "candid is a number (long)");
  }

  @Test
  void subcolOnANonRecordIsAnError() {
    String message = onlyProblem(rules(List.of("objectId.x"), List.of(), List.of()));
    assertContains(message, "objectId is a string, not a record", "no field x", "remove subcol");
    assertContains(onlyProblem(filter(cmp("candidate.magpsf.value", Operator.LT, num("1")))),
        "candidate.magpsf is a float, not a record");
  }

  @Test
  void comparisonOnAnArrayElementFieldIsAnError() {
    String message = onlyProblem(filter(cmp("prv_candidates.magpsf", Operator.LT, num("18"))));
    assertContains(message, "prv_candidates.magpsf", "each element of the array prv_candidates", "<any array=");
    assertContains(onlyProblem(filter(cmp("prv_candidates", Operator.EQ, num("1")))),
        "prv_candidates is an array", "only numbers and strings");
  }

  @Test
  void comparisonOnARecordOrBytesIsAnError() {
    assertContains(onlyProblem(filter(cmp("candidate", Operator.EQ, num("1")))),
        "candidate is a record", "only numbers and strings can be compared");
    assertContains(onlyProblem(filter(cmp("cutoutScience.stampData", Operator.EQ, Literal.of("x")))),
        "cutoutScience.stampData is a bytes", "only numbers and strings can be compared");
  }

  @Test
  void everyProblemIsListedAtOnceWithItsLocation() throws IOException {
    Path file = dir.resolve("rules.xml");
    Files.writeString(file, """
        <distribution-rules>
          <select>
            <column name="objectId"/>
            <column name="candidate" subcol="magpfs"/>
          </select>
          <drop>
            <column name="objectId" subcol="x"/>
          </drop>
          <filter>
            <column name="candidate" subcol="isdiffpos" operator="=" value="1"/>
            <column name="candidate" subcol="magpsf" operator="&lt;" value="'18'"/>
            <column name="prv_candidates" subcol="magpsf" operator="&lt;" value="18"/>
            <column name="candidate" operator="=" value="1"/>
            <column name="candidate" subcol="fid" operator="=" value="1"/>
          </filter>
        </distribution-rules>
        """);
    DistributionRules rules = RulesXml.read(file);
    RuleException e = assertThrows(RuleException.class, () -> RuleValidator.validate(rules, DB));
    List<RuleProblem> problems = e.problems();
    assertEquals(6, problems.size(), e::getMessage);
    assertEquals(List.of(4, 7, 10, 11, 12, 13), problems.stream().map(p -> p.location().line()).toList());
    assertContains(problems.get(0).message(), "candidate.magpsf?");
    assertContains(problems.get(1).message(), "not a record");
    assertContains(problems.get(2).message(), "is a string");
    assertContains(problems.get(3).message(), "is a number");
    assertContains(problems.get(4).message(), "array");
    assertContains(problems.get(5).message(), "is a record");
    for (RuleProblem p : problems) {
      assertEquals(file.toString(), p.location().file());
      assertContains(e.getMessage(), p.toString());
    }
  }

  @Test
  void rulesBuiltInJavaHaveNoLocation() {
    List<RuleProblem> problems = RuleValidator.problems(filter(cmp("candidate", Operator.EQ, num("1"))), DB);
    assertNull(problems.get(0).location());
    assertEquals(problems.get(0).message(), problems.get(0).toString());
  }

  @Test
  void everyTypeErrorOfTheExtendedGrammarIsReportedAtOnceWithLineAndColumn() throws IOException {
    Path file = dir.resolve("typed.xml");
    Files.writeString(file, """
        <distribution-rules>
          <stream name="s">
            <filter>
              <and>
                <column name="candidate.magpfs" operator="&lt;" value="18"/>
                <column name="objectId" subcol="x" operator="=" value="'a'"/>
              </and>
              <column name="candidate.fid" operator="in" value="1, '2'"/>
              <column name="candidate.isdiffpos" operator="between" value="1, 2"/>
              <column name="candidate.magpsf" operator="matches" value="'^1'"/>
              <column name="candid" operator="startswith" value="'1'"/>
              <column name="candidate" operator="=" value="1"/>
              <column name="prv_candidates.magpsf" operator="&lt;" value="18"/>
              <count array="candidate" operator="&gt;" value="1"/>
              <any array="prv_candidates"><column name="magpfs" operator="&lt;" value="1"/></any>
              <min array="prv_candidates" field="fid" include="objectId" operator="&lt;" value="1"/>
              <max array="prv_candidates" field="jdd" operator="&lt;" value="1"/>
              <cone ra="objectId" dec="candidate.jd" center="1, 2" radius="1"/>
              <column name="candidate.magpsf" operator="between" value="19, 18"/>
              <all array="cutoutScience"><column name="fileName" operator="=" value="'x'"/></all>
              <column name="prv_candidates" operator="is not null"/>
              <count array="prv_candidates" operator="&gt;=" value="2"><column name="fid" operator="=" value="'1'"/></count>
            </filter>
          </stream>
        </distribution-rules>
        """);
    DistributionRules rules = RulesXml.read(file);
    List<RuleProblem> problems = RuleValidator.problems(rules, DB);
    List<String> expected = List.of(
        "5:9 unknown field candidate.magpfs; did you mean candidate.magpsf?",
        "6:9 field objectId is a string, not a record: it has no field x; remove subcol or the dotted part",
        "8:7 candidate.fid is a number (int) but is compared to the string '2'; write the value without quotes",
        "9:7 candidate.isdiffpos is a string but is compared to the number 1; write strings in single quotes",
        "9:7 candidate.isdiffpos is a string but is compared to the number 2",
        "10:7 a regular expression (matches) needs a string field, but candidate.magpsf is a number (float)",
        "11:7 startswith needs a string field, but candid is a number (long)",
        "12:7 candidate is a record; only numbers and strings can be compared",
        "13:7 prv_candidates.magpsf is a field of each element of the array prv_candidates, not one value;"
            + " test the elements with <any array=\"prv_candidates\">",
        "14:7 <count> needs an array, but candidate is a record; name an array of records",
        "15:35 unknown field magpfs (of each element of prv_candidates); did you mean magpsf?",
        "16:7 include of <min> needs a number field, but objectId is a string; choose a numeric field",
        "17:7 unknown field jdd (of each element of prv_candidates); did you mean jd?",
        "18:7 a cone (ra) needs a number field, but objectId is a string",
        "19:7 candidate.magpsf between 19 and 18 matches nothing: the low bound is above the high one; swap them",
        "20:7 <all> needs an array, but cutoutScience is a record",
        "22:64 fid (of each element of prv_candidates) is a number (int) but is compared to the string '1'");
    assertEquals(expected.size(), problems.size(), () -> problems.stream().map(RuleProblem::toString)
        .reduce("", (a, b) -> a + "\n" + b));
    for (int i = 0; i < expected.size(); i++) {
      RuleProblem p = problems.get(i);
      String where = p.location().line() + ":" + p.location().column();
      String line = expected.get(i);
      assertEquals(line.substring(0, line.indexOf(' ')), where, p::toString);
      assertContains(p.message(), line.substring(line.indexOf(' ') + 1));
      assertEquals(file.toString(), p.location().file());
    }
  }

  @Test
  void sharedPartsAreCheckedOnceAndArrayConditionsOfValidRulesPass() {
    DistributionRules rules = Rules.shared().select("objectId").filter(Rules.field("candidate.magpfs").lt(18))
        .streams(Rules.stream("a"), Rules.stream("b").topic("t"));
    assertEquals(1, RuleValidator.problems(rules, DB).size(), "a shared problem is reported once, not per stream");
    DistributionRules ok = Rules.of(Rules.stream("ok").filter(
        Rules.count("prv_candidates").ge(1),
        Rules.count("prv_candidates").where(Rules.field("magpsf").lt(19)).ge(3),
        Rules.any("prv_candidates", Rules.field("fid").in(1, 2)),
        Rules.all("prv_candidates", Rules.field("magpsf").isNotNull()),
        Rules.span("prv_candidates", "jd").including("candidate.jd").gt(10),
        Rules.min("prv_candidates", "magpsf").where(Rules.field("fid").eq(1)).lt(17),
        Rules.field("candidate.ssnamenr").matches("^[0-9]+$"),
        Rules.field("cutoutScience").isNull(),
        Rules.cone("candidate.jd", "candidate.magpsf").around(10, 10).within(1, AngleUnit.DEG)));
    assertEquals(List.of(), RuleValidator.problems(ok, DB));
  }
}
