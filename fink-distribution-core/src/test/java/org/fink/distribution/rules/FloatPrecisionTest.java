package org.fink.distribution.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.junit.jupiter.api.Test;

/**
 * A float (32-bit) field compares in its own precision: the value written in a rule is rounded to the nearest float,
 * so the value a user reads in an alert selects that alert; {@code rules check} warns when equality is used with a
 * value no float holds exactly.
 */
class FloatPrecisionTest {
  private static final Schema DB = ZtfLikeSchema.alert();

  private static DistributionRules filter(String column) {
    String text = "<distribution-rules>\n<select><column name=\"objectId\"/></select>\n<filter>\n" + column
        + "\n</filter>\n</distribution-rules>\n";
    return RulesXml.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "r.xml");
  }

  @Test
  void aFloatFieldEqualsTheValueItShows() {
    float stored = 0.59f;  // 0.589999973773956298828125
    assertEquals(Optional.of(0), ValueOrder.compare(stored, Literal.parse("0.59")));
    assertEquals(Optional.of(0), ValueOrder.compare(stored, Literal.parse("0.5899999737739563")));
    assertEquals(Optional.of(-1), ValueOrder.compare(stored, Literal.parse("0.5900001")));
    assertEquals(Optional.of(1), ValueOrder.compare(stored, Literal.parse("0.589999")));
    assertEquals(Optional.of(0), ValueOrder.compare(-0.0f, Literal.parse("0")));
    assertEquals(Optional.of(1), ValueOrder.compare(Float.NaN, Literal.parse("1e30")));
    // a double field keeps double precision: 0.59f widened is below 0.59
    assertEquals(Optional.of(-1), ValueOrder.compare((double) stored, Literal.parse("0.59")));
  }

  @Test
  void theLiteralIsRoundedOnceFromItsDecimal() {
    Literal.Number n = (Literal.Number) Literal.parse("0.59");
    assertEquals(0.59f, n.floatValue());
    assertFalse(n.exactFloat());
    assertTrue(((Literal.Number) Literal.parse("0.25")).exactFloat());
    assertTrue(((Literal.Number) Literal.parse("18")).exactFloat());
    assertFalse(((Literal.Number) Literal.parse("1e39")).exactFloat());
  }

  @Test
  void equalityWithAValueNoFloatHoldsIsAWarning() {
    DistributionRules rules = filter("<column name=\"candidate.magpsf\" operator=\"=\" value=\"0.59\"/>");
    assertEquals(List.of(), RuleValidator.problems(rules, DB));
    List<RuleProblem> warnings = RuleValidator.warnings(rules, DB);
    assertEquals(1, warnings.size(), warnings::toString);
    assertEquals("r.xml:4:1: candidate.magpsf is a float (32 bits) and 0.59 is not exactly a float: it is compared as the"
        + " nearest float, 0.589999974, so = and != hold for alerts storing that float (an alert showing 0.59); if"
        + " the value is computed, test a range with between", warnings.get(0).toString());
  }

  @Test
  void noWarningForBoundsExactValuesOrDoubleFields() {
    assertEquals(List.of(), RuleValidator.warnings(
        filter("<column name=\"candidate.magpsf\" operator=\"&gt;=\" value=\"0.59\"/>"), DB));
    assertEquals(List.of(), RuleValidator.warnings(
        filter("<column name=\"candidate.magpsf\" operator=\"=\" value=\"0.5\"/>"), DB));
    assertEquals(List.of(), RuleValidator.warnings(
        filter("<column name=\"candidate.jd\" operator=\"=\" value=\"2458850.5\"/>"), DB));
    assertEquals(1, RuleValidator.warnings(
        filter("<column name=\"candidate.magpsf\" operator=\"in\" value=\"0.5, 0.7\"/>"), DB).size());
  }
}
