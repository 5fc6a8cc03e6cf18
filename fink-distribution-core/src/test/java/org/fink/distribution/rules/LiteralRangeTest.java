package org.fink.distribution.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.junit.jupiter.api.Test;

/**
 * Values a field cannot hold, and fields both selected and dropped, are errors of {@code rules check} (warnings where
 * the user may mean it), not rules that silently match everything or nothing.
 */
class LiteralRangeTest {
  private static final Schema DB = ZtfLikeSchema.alert();

  private static DistributionRules xml(String select, String drop, String filter) {
    String text = "<distribution-rules>\n<select>" + select + "</select>\n" + (drop.isEmpty() ? "" : "<drop>" + drop
        + "</drop>\n") + "<filter>\n" + filter + "\n</filter>\n</distribution-rules>\n";
    return RulesXml.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "r.xml");
  }

  private static DistributionRules filter(String column) {
    return xml("<column name=\"objectId\"/>", "", column);
  }

  private static String onlyProblem(DistributionRules rules) {
    List<RuleProblem> problems = RuleValidator.problems(rules, DB);
    assertEquals(1, problems.size(), problems::toString);
    return problems.get(0).toString();
  }

  private static void assertStarts(String message, String start) {
    assertTrue(message.startsWith(start), () -> "expected \"" + start + "\" at the start of: " + message);
  }

  @Test
  void anIntegerBeyond64BitsIsAnError() {
    assertStarts(onlyProblem(filter("<column name=\"candid\" operator=\"=\" value=\"99999999999999999999\"/>")),
        "r.xml:4:1: the value 99999999999999999999 is beyond the range of candid (long, 64 bits:"
            + " -9223372036854775808 to 9223372036854775807), so the test would match every alert or none");
    assertStarts(onlyProblem(filter("<column name=\"candidate.fid\" operator=\"&lt;\" value=\"1e30\"/>")),
        "r.xml:4:1: the value 1E+30 is beyond the range of candidate.fid (int, 32 bits");
  }

  @Test
  void aNumberBeyondDoubleIsAnError() {
    assertStarts(onlyProblem(filter("<column name=\"candidate.magpsf\" operator=\"&lt;\" value=\"1e400\"/>")),
        "r.xml:4:1: the value 1E+400 is beyond the range of candidate.magpsf (float");
    assertStarts(onlyProblem(filter("<column name=\"candidate.jd\" operator=\"in\" value=\"1, -1e400\"/>")),
        "r.xml:4:1: the value -1E+400 is beyond the range of candidate.jd (double");
    assertStarts(onlyProblem(filter("<column name=\"candidate.jd\" operator=\"&gt;\" value=\"1e-400\"/>")),
        "r.xml:4:1: the value 1E-400 is too small for candidate.jd (double): it rounds to 0");
  }

  @Test
  void aFractionEqualToAnIntegerFieldIsAnErrorAndAsABoundAWarning() {
    assertStarts(onlyProblem(filter("<column name=\"candidate.fid\" operator=\"=\" value=\"1.5\"/>")),
        "r.xml:4:1: candidate.fid holds whole numbers (int) but is compared to 1.5, which it never equals; write a"
            + " whole number");
    assertStarts(onlyProblem(filter("<column name=\"candidate.fid\" operator=\"in\" value=\"1, 2.5\"/>")),
        "r.xml:4:1: candidate.fid holds whole numbers (int) but is compared to 2.5");
    DistributionRules bound = filter("<column name=\"candidate.fid\" operator=\"&lt;\" value=\"1.5\"/>");
    assertEquals(List.of(), RuleValidator.problems(bound, DB));
    List<RuleProblem> warnings = RuleValidator.warnings(bound, DB);
    assertEquals(1, warnings.size(), warnings::toString);
    assertStarts(warnings.get(0).toString(), "r.xml:4:1: candidate.fid holds whole numbers (int) but a bound is 1.5");
    assertEquals(List.of(), RuleValidator.problems(
        filter("<column name=\"candidate.fid\" operator=\"=\" value=\"2.0\"/>"), DB), "2.0 is whole");
  }

  @Test
  void anIntFieldComparedBeyond32BitsIsAWarning() {
    DistributionRules rules = filter("<column name=\"candidate.fid\" operator=\"&lt;\" value=\"5000000000\"/>");
    assertEquals(List.of(), RuleValidator.problems(rules, DB));
    assertStarts(RuleValidator.warnings(rules, DB).get(0).toString(),
        "r.xml:4:1: the value 5000000000 is beyond the range of candidate.fid (int, 32 bits");
  }

  @Test
  void aFieldSelectedAndDroppedIsAnError() {
    assertStarts(onlyProblem(xml("<column name=\"objectId\"/><column name=\"candid\"/>",
        "<column name=\"candid\"/>", "")),
        "r.xml:3:7: candid is both selected and dropped, so it would not be distributed; remove it from <drop>");
    assertStarts(onlyProblem(xml("<column name=\"objectId\"/><column name=\"candidate.magpsf\"/>",
        "<column name=\"candidate\"/>", "")),
        "r.xml:3:7: dropping candidate drops the selected candidate.magpsf");
    assertEquals(List.of(), RuleValidator.problems(xml("<column name=\"objectId\"/><column name=\"candidate\"/>",
        "<column name=\"candidate.magpsf\"/>", ""), DB), "dropping a part of a selected field is fine");
  }

  @Test
  void validValuesStayValid() {
    DistributionRules rules = filter("<column name=\"candid\" operator=\"&gt;\" value=\"9223372036854775807\"/>"
        + "<column name=\"candidate.jd\" operator=\"between\" value=\"2458800.5, 2.5e6\"/>"
        + "<column name=\"candidate.fid\" operator=\"in\" value=\"1, 2, 3\"/>");
    assertEquals(List.of(), RuleValidator.problems(rules, DB));
    assertEquals(List.of(), RuleValidator.warnings(rules, DB));
  }
}
