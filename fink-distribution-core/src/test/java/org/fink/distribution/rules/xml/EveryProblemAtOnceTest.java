package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.junit.jupiter.api.Test;

/**
 * {@link RulesXml#check} keeps what it could build of a faulty file, so that the schema problems of the sound
 * conditions are found in the same run as the grammar problems: every problem at once, sorted by line.
 */
class EveryProblemAtOnceTest {
  private static final String FILE = """
      <distribution-rules>
        <stream name="a" topic="t_a">
          <filter>
            <column name="candidate.isdiffpos" operator="matches" value="'(unclosed'"/>
            <or>
              <column name="candidate.nosuch" operator="&gt;" value="1"/>
              <column name="candidate.magpsf" operator="&lt;" value="'18'"/>
              <column name="candidate.magpsf" operator="~" value="1"/>
            </or>
            <count array="prv_candidates" operator="&gt;=" value="2">
              <column name="magpsf" operator="matches" value="'['"/>
              <column name="nosuch" operator="=" value="1"/>
            </count>
          </filter>
        </stream>
        <stream name="a" topic="t_b"/>
      </distribution-rules>
      """;

  private static RulesXml.Checked check() {
    return RulesXml.check(new ByteArrayInputStream(FILE.getBytes(StandardCharsets.UTF_8)), "r.xml");
  }

  @Test
  void grammarAndSchemaProblemsTogether() {
    RulesXml.Checked checked = check();
    assertNotNull(checked.rules(), "the sound part, for checking");
    List<RuleProblem> all = new ArrayList<>(checked.problems());
    all.addAll(RuleValidator.problems(checked.rules(), ZtfLikeSchema.alert()));
    List<String> lines = RulesXml.sorted(all).stream().map(RuleProblem::toString).toList();
    assertEquals(7, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("r.xml:4:7: invalid regular expression"), lines.get(0));
    assertTrue(lines.get(1).startsWith("r.xml:6:9: unknown field candidate.nosuch"), lines.get(1));
    assertTrue(lines.get(2).startsWith("r.xml:7:9: candidate.magpsf is a number (float) but is compared to the"
        + " string '18'"), lines.get(2));
    assertTrue(lines.get(3).startsWith("r.xml:8:9: unknown operator \"~\""), lines.get(3));
    assertTrue(lines.get(4).startsWith("r.xml:11:9: a regular expression (matches) needs a string field")
        || lines.get(4).startsWith("r.xml:11:9: invalid regular expression"), lines.get(4));
    assertTrue(lines.get(5).startsWith("r.xml:12:9: unknown field nosuch"), lines.get(5));
    assertTrue(lines.get(6).startsWith("r.xml:16:3: a stream named a is already declared"), lines.get(6));
  }

  @Test
  void readStillRefusesTheFileWithItsOwnProblems() {
    RuleException e = assertThrows(RuleException.class,
        () -> RulesXml.read(new ByteArrayInputStream(FILE.getBytes(StandardCharsets.UTF_8)), "r.xml"));
    assertEquals(check().problems(), e.problems());
  }
}
