package org.fink.distribution.rules;

import static org.fink.distribution.rules.Rules.all;
import static org.fink.distribution.rules.Rules.any;
import static org.fink.distribution.rules.Rules.cone;
import static org.fink.distribution.rules.Rules.count;
import static org.fink.distribution.rules.Rules.field;
import static org.fink.distribution.rules.Rules.max;
import static org.fink.distribution.rules.Rules.min;
import static org.fink.distribution.rules.Rules.not;
import static org.fink.distribution.rules.Rules.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fink.distribution.rules.xml.RulesXml;
import org.junit.jupiter.api.Test;

/** The fluent builder makes the same AST as the XML, and conditions print as they read. */
class RulesBuilderTest {

  private static DistributionRules xml(String text) {
    return RulesXml.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.xml");
  }

  @Test
  void theIssueExampleEqualsItsXml() {
    DistributionRules built = Rules.stream("bright").topic("fink_bright_ztf")
        .filter(field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.55)))
        .drop("cutoutTemplate")
        .rules();
    DistributionRules read = xml("""
        <distribution-rules>
          <stream name="bright" topic="fink_bright_ztf">
            <drop><column name="cutoutTemplate"/></drop>
            <filter>
              <column name="candidate" subcol="magpsf" operator="&lt;" value="18"/>
              <column name="candidate.rb" operator="ge" value="0.55"/>
            </filter>
          </stream>
        </distribution-rules>
        """);
    assertEquals(read, built);
    assertEquals("candidate.magpsf < 18 AND candidate.rb >= 0.55",
        field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.55)).toString());
    DistributionStream stream = built.streams().get(0);
    assertEquals(List.of(), stream.select(), "no select: all fields");
    assertEquals(List.of(FieldPath.of("cutoutTemplate")), stream.drop());
    assertEquals(2, stream.filter().size(), "an AND given to filter() is split like the children of <filter>");
  }

  @Test
  void everyConditionPrintsLikeTheRule() {
    assertEquals("candidate.fid IN (1, 2)", field("candidate.fid").in(1, 2).toString());
    assertEquals("candidate.isdiffpos NOT IN ('f', 'it''s')",
        field("candidate.isdiffpos").notIn("f", "it's").toString());
    assertEquals("candidate.magdiff BETWEEN -0.1 AND 0.1", field("candidate.magdiff").between(-0.1, 0.1).toString());
    assertEquals("candidate.ssnamenr IS NULL", field("candidate.ssnamenr").isNull().toString());
    assertEquals("candidate.ssnamenr IS NOT NULL", field("candidate.ssnamenr").isNotNull().toString());
    assertEquals("objectId STARTSWITH 'ZTF21'", field("objectId").startsWith("ZTF21").toString());
    assertEquals("candidate.ssnamenr MATCHES '^[0-9]+$'", field("candidate.ssnamenr").matches("^[0-9]+$").toString());
    assertEquals("NOT (candidate.magpsf < 18)", not(field("candidate.magpsf").lt(18)).toString());
    assertEquals("a = 1 OR (b = 2 AND c = 3)", field("a").eq(1).or(field("b").eq(2).and(field("c").eq(3))).toString());
    assertEquals("(a = 1 OR b = 2) AND c != 'x'", field("a").eq(1).or(field("b").eq(2)).and(field("c").ne("x"))
        .toString());
    assertEquals("COUNT(prv_candidates: magpsf < 19) >= 3",
        count("prv_candidates").where(field("magpsf").lt(19)).ge(3).toString());
    assertEquals("COUNT(prv_candidates) = 0", count("prv_candidates").eq(0).toString());
    assertEquals("ANY(prv_candidates: magpsf < 17 AND fid = 2)",
        any("prv_candidates", field("magpsf").lt(17), field("fid").eq(2)).toString());
    assertEquals("ALL(prv_candidates: fid = 1)", all("prv_candidates", field("fid").eq(1)).toString());
    assertEquals("MIN(prv_candidates.magpsf) < 17", min("prv_candidates", "magpsf").lt(17).toString());
    assertEquals("MAX(prv_candidates.jd) > 2458800.5", max("prv_candidates", "jd").gt(2458800.5).toString());
    assertEquals("SPAN(prv_candidates.jd, candidate.jd: magpsf IS NOT NULL) > 10",
        span("prv_candidates", "jd").including("candidate.jd").where(field("magpsf").isNotNull()).gt(10)
            .toString());
    assertEquals("(candidate.ra, candidate.dec) WITHIN 30 arcsec OF (83.63308, 22.0145)",
        cone("candidate.ra", "candidate.dec").around(83.63308, 22.0145).within(30, AngleUnit.ARCSEC).toString());
  }

  @Test
  void andOrExtendTheirLeftGroupAndFilterSplitsAnAnd() {
    Condition a = field("a").eq(1);
    Condition b = field("b").eq(2);
    Condition c = field("c").eq(3);
    assertEquals(new And(List.of(a, b, c)), a.and(b).and(c));
    assertEquals(new Or(List.of(a, b, c)), a.or(b).or(c));
    assertEquals(new Not(a), a.negate());
    assertEquals(List.of(a, b, c), Rules.stream("s").filter(a.and(b)).filter(c).build().filter());
    assertEquals(List.of(new Or(List.of(a, b))), Rules.stream("s").filter(a.or(b)).build().filter());
  }

  @Test
  void buildersAreImmutableAndReusable() {
    StreamBuilder base = Rules.stream("base").select("objectId");
    StreamBuilder bright = base.filter(field("candidate.magpsf").lt(16));
    assertEquals(List.of(), base.build().filter());
    assertEquals(1, bright.build().filter().size());
    CountBuilder history = count("prv_candidates");
    history.where(field("fid").eq(1));
    assertEquals(List.of(), history.ge(1).where());
  }

  @Test
  void sharedPartsAddToEveryStream() {
    DistributionRules rules = Rules.shared().select("objectId", "candid").drop("candidate.programpi")
        .filter(field("candidate.rb").ge(0.55))
        .streams(Rules.stream("all"),
            Rules.stream("bright").topic("fink_bright").select("candidate").filter(field("candidate.magpsf").lt(16)));
    DistributionStream all = rules.streams().get(0);
    DistributionStream bright = rules.streams().get(1);
    assertEquals(List.of(FieldPath.of("objectId"), FieldPath.of("candid")), all.select());
    assertEquals(List.of(field("candidate.rb").ge(0.55)), all.filter());
    assertEquals(List.of(FieldPath.of("objectId"), FieldPath.of("candid"), FieldPath.of("candidate")),
        bright.select());
    assertEquals(List.of(FieldPath.of("candidate.programpi")), bright.drop());
    assertEquals(List.of(field("candidate.rb").ge(0.55), field("candidate.magpsf").lt(16)), bright.filter());
    assertEquals(List.of(), rules.declaredStreams().get(0).select(), "declared streams keep only their own parts");
    assertEquals("fink_bright", bright.topic());
    assertEquals(null, all.topic());
  }

  @Test
  void numbersAreEqualByValueAndListsRoundTrip() {
    assertEquals(Literal.of(18), Literal.parse("18.0"));
    assertEquals(Literal.of(18).hashCode(), Literal.parse("1.8e1").hashCode());
    assertEquals(Literal.of(0), Literal.parse("-0.00"));
    assertNotEquals(Literal.of(18), Literal.of("18"));
    assertEquals(field("x").lt(18), field("x").lt(18.0));
    List<Literal> tricky = List.of(Literal.of("it's"), Literal.of("a, b"), Literal.of(""), Literal.of("''"),
        Literal.of("x') OR ('a'='a"), Literal.of(-1.5e-7), Literal.of(42));
    assertEquals(tricky, Literal.parseList(Literal.toXmlList(tricky)));
    assertEquals(List.of(Literal.of("1 OR 1=1")), Literal.parseList("'1 OR 1=1'"));
    assertEquals(Literal.of("x') OR ('a'='a"), Literal.parse("'x') OR ('a'='a'"), "a single value is verbatim");
  }

  @Test
  void invalidConditionsAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> field("a").in(new String[0]));
    IllegalArgumentException regex = assertThrows(IllegalArgumentException.class, () -> field("a").matches("[0-9"));
    assertTrue(regex.getMessage().contains("invalid regular expression '[0-9'"), regex.getMessage());
    assertTrue(regex.getMessage().contains("character"), regex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> any("prv_candidates"));
    assertThrows(IllegalArgumentException.class, () -> Rules.and());
    assertThrows(IllegalArgumentException.class, () -> cone("ra", "dec").around(400, 0).within(1, AngleUnit.DEG));
    assertThrows(IllegalArgumentException.class, () -> cone("ra", "dec").around(10, -91).within(1, AngleUnit.DEG));
    assertThrows(IllegalArgumentException.class, () -> cone("ra", "dec").around(10, 10).within(0, AngleUnit.DEG));
    assertThrows(IllegalArgumentException.class, () -> cone("ra", "dec").around(10, 10).within(181, AngleUnit.DEG));
    assertThrows(IllegalStateException.class, () -> cone("ra", "dec").within(1, AngleUnit.DEG));
    assertThrows(IllegalArgumentException.class, () -> Rules.stream("bad name").build());
    assertThrows(IllegalArgumentException.class, () -> Rules.stream("s").topic("a/b").build());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> Rules.of(Rules.stream("a"), Rules.stream("a").topic("t")));
    assertTrue(twice.getMessage().contains("two streams are named a"), twice.getMessage());
    IllegalArgumentException topic = assertThrows(IllegalArgumentException.class,
        () -> Rules.of(Rules.stream("a"), Rules.stream("b")));
    assertTrue(topic.getMessage().contains("both publish to the default topic"), topic.getMessage());
  }

  @Test
  void coneValuesAreKeptExactly() {
    Cone built = cone("candidate.ra", "candidate.dec").around(83.63308, 22.0145).within(30, AngleUnit.ARCSEC);
    Cone exact = new Cone(FieldPath.of("candidate.ra"), FieldPath.of("candidate.dec"), new BigDecimal("83.633080"),
        new BigDecimal("22.01450"), new BigDecimal("30.0"), AngleUnit.ARCSEC);
    assertEquals(exact, built);
    assertEquals(30.0 / 3600, AngleUnit.ARCSEC.toDegrees(30), 1e-15);
  }
}
