package org.fink.distribution.rules.avro;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.util.Utf8;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.ValueOrder;
import org.junit.jupiter.api.Test;

/** The Avro evaluator on hand-made alerts: every operator, the null semantics, arrays and cones. */
class AlertPredicateTest {
  private static final Schema ALERT = ZtfLikeSchema.alert();
  private static final Schema CANDIDATE = ZtfLikeSchema.candidate();
  private static final Schema PRV = ZtfLikeSchema.prvCandidate();

  /** An alert; {@code history} elements are {jd, magpsf, fid} (magpsf may be null), or null for a null element. */
  private static GenericRecord alert(String objectId, float magpsf, String isdiffpos, String ssnamenr,
      double[]... history) {
    GenericRecord candidate = new GenericRecordBuilder(CANDIDATE).set("magpsf", magpsf)
        .set("isdiffpos", new Utf8(isdiffpos)).set("jd", 2458800.5).set("fid", 1).set("ssnamenr", ssnamenr)
        .build();
    List<GenericRecord> prv = null;
    if (history != null) {
      prv = new ArrayList<>();
      for (double[] h : history) {
        prv.add(h == null ? null : new GenericRecordBuilder(PRV).set("jd", h[0])
            .set("magpsf", Double.isNaN(h[1]) ? null : (float) h[1]).set("fid", (int) h[2]).build());
      }
    }
    Schema prvArray = ALERT.getField("prv_candidates").schema().getTypes().get(1);
    return new GenericRecordBuilder(ALERT).set("objectId", objectId).set("candid", 1234567890123L)
        .set("candidate", candidate)
        .set("prv_candidates", prv == null ? null : new GenericData.Array<>(prvArray, prv))
        .build();
  }

  private static final double NONE = Double.NaN;

  private static boolean test(Condition condition, GenericRecord alert) {
    return AlertPredicate.of(condition).test(alert);
  }

  @Test
  void comparisonsOnNumbersAndStrings() {
    GenericRecord a = alert("ZTF18abc", 17.5f, "t", null);
    assertTrue(test(field("candidate.magpsf").lt(18), a));
    assertTrue(test(field("candidate.magpsf").le(17.5), a));
    assertTrue(test(field("candidate.magpsf").eq(17.5), a), "a float widened exactly equals its double");
    assertFalse(test(field("candidate.magpsf").gt(17.5), a));
    assertTrue(test(field("candidate.fid").eq(1), a));
    assertTrue(test(field("candidate.fid").lt(1.5), a));
    assertTrue(test(field("candid").eq(1234567890123L), a));
    assertFalse(test(field("candid").eq(1234567890124L), a), "longs compare exactly, not as doubles");
    assertTrue(test(field("candidate.isdiffpos").eq("t"), a), "Utf8 values compare as strings");
    assertTrue(test(field("objectId").gt("ZTF17"), a));
    assertTrue(test(field("objectId").in("x", "ZTF18abc"), a));
    assertFalse(test(field("objectId").notIn("x", "ZTF18abc"), a));
    assertTrue(test(field("candidate.magpsf").between(17.5, 18), a), "bounds included");
    assertFalse(test(field("candidate.magpsf").between(17.6, 18), a));
    assertTrue(test(field("objectId").startsWith("ZTF18"), a));
    assertFalse(test(field("objectId").startsWith("ztf18"), a), "case-sensitive");
    assertTrue(test(field("objectId").matches("[0-9]{2}a"), a), "found anywhere");
    assertFalse(test(field("objectId").matches("^[0-9]{2}a"), a));
  }

  @Test
  void conditionsOnNullAreFalseAndNotMakesThemTrue() {
    GenericRecord a = alert("ZTF18abc", 17.5f, "t", null);
    Condition[] onNull = {field("candidate.ssnamenr").eq("x"), field("candidate.ssnamenr").ne("x"),
        field("candidate.ssnamenr").in("x"), field("candidate.ssnamenr").notIn("x"),
        field("candidate.ssnamenr").between("a", "z"), field("candidate.ssnamenr").startsWith(""),
        field("candidate.ssnamenr").matches(".*"), field("cutoutScience.fileName").eq("x"),
        field("candidate.drb").ge(0.5)};
    for (Condition c : onNull) {
      assertFalse(test(c, a), c::toString);
      assertTrue(test(not(c), a), () -> "NOT " + c);
    }
    assertTrue(test(field("candidate.ssnamenr").isNull(), a));
    assertTrue(test(field("cutoutScience.fileName").isNull(), a), "a field inside a null record is null");
    assertTrue(test(field("candidate.drb").isNull(), a), "a field the record's schema lacks is null");
    assertFalse(test(field("candidate.ssnamenr").isNotNull(), a));
    assertTrue(test(field("candidate.ssnamenr").isNull().or(field("candidate.ssnamenr").eq("x")), a));
  }

  @Test
  void arraysCountMatchAndAggregate() {
    GenericRecord a = alert("o", 18f, "t", null,
        new double[] {2458790.5, 19.5, 1}, new double[] {2458795.5, 18.5, 2}, new double[] {2458798.5, NONE, 1},
        new double[] {2458785.5, 17.9, 1});
    assertTrue(test(count("prv_candidates").eq(4), a));
    assertTrue(test(count("prv_candidates").where(field("magpsf").lt(19)).eq(2), a));
    assertTrue(test(count("prv_candidates").where(field("magpsf").isNull()).eq(1), a));
    assertTrue(test(any("prv_candidates", field("fid").eq(2)), a));
    assertFalse(test(any("prv_candidates", field("fid").eq(2), field("magpsf").gt(19)), a));
    assertFalse(test(all("prv_candidates", field("fid").eq(1)), a));
    assertTrue(test(all("prv_candidates", field("jd").lt(2458800)), a));
    assertTrue(test(min("prv_candidates", "magpsf").eq(17.9f), a), "nulls are skipped");
    assertTrue(test(max("prv_candidates", "magpsf").where(field("fid").eq(1)).eq(19.5), a));
    assertTrue(test(max("prv_candidates", "jd").eq(2458798.5), a));
    assertTrue(test(span("prv_candidates", "jd").eq(13), a));
    assertTrue(test(span("prv_candidates", "jd").where(field("magpsf").isNotNull()).eq(10), a));
    assertTrue(test(span("prv_candidates", "jd").including("candidate.jd").eq(15), a));
    assertFalse(test(min("prv_candidates", "magpsf").where(field("fid").eq(3)).lt(100), a), "no value: false");
    assertTrue(test(span("prv_candidates", "jd").where(field("fid").eq(3)).including("candidate.jd").eq(0), a),
        "the included value alone spans 0");
  }

  @Test
  void aMissingArrayIsEmptyAndANullElementHasOnlyNullFields() {
    GenericRecord missing = alert("o", 18f, "t", null, (double[][]) null);
    GenericRecord empty = alert("o", 18f, "t", null);
    for (GenericRecord a : List.of(missing, empty)) {
      assertTrue(test(count("prv_candidates").eq(0), a));
      assertFalse(test(any("prv_candidates", field("fid").eq(1)), a));
      assertTrue(test(all("prv_candidates", field("fid").eq(1)), a));
      assertFalse(test(min("prv_candidates", "magpsf").lt(100), a));
      assertFalse(test(span("prv_candidates", "jd").ge(0), a));
      assertTrue(test(span("prv_candidates", "jd").including("candidate.jd").eq(0), a));
    }
    assertTrue(test(field("prv_candidates").isNull(), missing));
    assertFalse(test(field("prv_candidates").isNull(), empty));
    GenericRecord nullElement = alert("o", 18f, "t", null, new double[] {2458790.5, 19.5, 1}, null);
    assertTrue(test(count("prv_candidates").eq(2), nullElement));
    assertTrue(test(count("prv_candidates").where(field("fid").eq(1)).eq(1), nullElement));
    assertTrue(test(count("prv_candidates").where(field("magpsf").isNull()).eq(1), nullElement));
    assertTrue(test(count("prv_candidates").where(not(field("fid").eq(1))).eq(1), nullElement));
    assertFalse(test(all("prv_candidates", field("fid").eq(1)), nullElement));
  }

  @Test
  void conesMeasureTheAngleOnTheSphere() {
    Schema position = SchemaBuilder.record("p").fields().optionalDouble("ra").optionalDouble("dec")
        .optionalFloat("raf").endRecord();
    java.util.function.BiFunction<Double, Double, GenericRecord> at = (ra, dec) ->
        new GenericRecordBuilder(position).set("ra", ra).set("dec", dec)
            .set("raf", ra == null ? null : (float) (double) ra).build();
    Condition oneDegree = cone("ra", "dec").around(10, 0).within(1, AngleUnit.DEG);
    assertTrue(test(oneDegree, at.apply(10.0, 0.9999)));
    assertFalse(test(oneDegree, at.apply(10.0, 1.0001)));
    assertTrue(test(oneDegree, at.apply(10.7, 0.7)), "0.99 deg away");
    assertFalse(test(oneDegree, at.apply(10.71, 0.71)), "1.004 deg away");
    Condition wrap = cone("ra", "dec").around(359.9, 0).within(720, AngleUnit.ARCSEC);
    assertTrue(test(wrap, at.apply(0.09, 0.0)), "across ra = 0");
    assertFalse(test(wrap, at.apply(0.11, 0.0)));
    Condition pole = cone("ra", "dec").around(0, 90).within(30, AngleUnit.ARCMIN);
    assertTrue(test(pole, at.apply(180.0, 89.51)), "ra does not matter at the pole");
    assertFalse(test(pole, at.apply(180.0, 89.49)));
    Condition highDec = cone("ra", "dec").around(100, 80).within(1, AngleUnit.DEG);
    assertTrue(test(highDec, at.apply(105.7, 80.0)), "5.7 deg of ra at dec 80 are 0.99 deg");
    assertFalse(test(highDec, at.apply(105.9, 80.0)));
    assertFalse(test(oneDegree, at.apply(null, 0.5)), "null position: false");
    assertTrue(test(not(oneDegree), at.apply(null, 0.5)));
    assertTrue(test(cone("raf", "dec").around(10, 0).within(1, AngleUnit.DEG), at.apply(10.0, 0.5)),
        "a float field works too");
  }

  @Test
  void valuesThatLookLikeSqlMatchNothing() {
    GenericRecord a = alert("ZTF18abc", 17.5f, "t", "1 OR 1=1");
    for (String value : List.of("1 OR 1=1", "'x') OR ('a'='a", "x' OR 'a'='a", "%", ".*")) {
      assertFalse(test(field("objectId").eq(value), a), value);
      assertFalse(test(field("objectId").in(value), a), value);
      assertFalse(test(field("objectId").startsWith(value), a), value);
    }
    assertTrue(test(field("candidate.ssnamenr").eq("1 OR 1=1"), a), "the literal matches itself, and only that");
  }

  @Test
  void stringsCompareByCodePointAsSparkDoes() {
    String bmpHigh = "\uFFFD";
    String emoji = new String(Character.toChars(0x1F600));
    assertTrue(bmpHigh.compareTo(emoji) > 0, "UTF-16 order puts the surrogate pair first");
    assertTrue(ValueOrder.compareStrings(bmpHigh, emoji) < 0, "code point order puts U+1F600 last");
    assertEquals(0, ValueOrder.compareDoubles(-0.0, 0.0));
    assertEquals(0, ValueOrder.compareDoubles(Double.NaN, Double.NaN));
    assertTrue(ValueOrder.compareDoubles(Double.NaN, Double.POSITIVE_INFINITY) > 0);
    assertEquals(java.util.Optional.empty(), ValueOrder.compare(null, Literal.of(1)));
    assertEquals(java.util.Optional.empty(), ValueOrder.compare("1", Literal.of(1)), "a string is not a number");
    assertEquals(java.util.Optional.of(0), ValueOrder.compare(1.5f, Literal.of(1.5)));
    assertEquals(java.util.Optional.of(-1), ValueOrder.compare(Long.MAX_VALUE - 1, Literal.of(Long.MAX_VALUE)),
        "as longs: as doubles both would be 2^63");
  }

  @Test
  void aFilterIsTheAndOfItsConditionsAndTrueWhenEmpty() {
    GenericRecord a = alert("ZTF18abc", 17.5f, "t", null);
    assertTrue(AlertPredicate.of(List.of()).test(a));
    assertTrue(AlertPredicate.of(Rules.stream("s").filter(field("candidate.magpsf").lt(18),
        field("candidate.isdiffpos").eq("t")).build()).test(a));
    assertFalse(AlertPredicate.of(List.of(field("candidate.magpsf").lt(18), field("candidate.isdiffpos").eq("f")))
        .test(a));
    assertEquals("candidate.magpsf < 18 AND candidate.isdiffpos = 'f'",
        AlertPredicate.of(List.of(field("candidate.magpsf").lt(18), field("candidate.isdiffpos").eq("f")))
            .toString());
  }
}
