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
import org.fink.distribution.ZtfLikeSchema;
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
        List.of("objectId", "candid", "candidate.magpsf", "candidate.jd", "prv_candidates", "prv_candidates.magpsf",
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
    assertContains(message, "prv_candidates.magpsf", "each element of an array");
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
}
