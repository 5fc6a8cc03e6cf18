package org.fink.distribution.spark;

import static org.fink.distribution.rules.Rules.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.RuleLimits;
import org.fink.distribution.rules.Rules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules at the size limits ({@link RuleLimits}) become Spark columns and run: an {@code in} list of the most values
 * is a set lookup, the most conditions ANDed or ORed a balanced tree, where chains overflowed Spark's stack.
 */
class LargeRuleColumnsTest {
  private static final Duration BOUND = Duration.ofSeconds(120);
  private static Dataset<Row> alerts;

  @BeforeAll
  static void alerts() {
    StructType schema = new StructType()
        .add("objectId", DataTypes.StringType)
        .add("candid", DataTypes.LongType)
        .add("candidate", new StructType().add("fid", DataTypes.IntegerType).add("magpsf", DataTypes.FloatType));
    List<Row> rows = List.of(
        RowFactory.create("ZTF1", 5L, RowFactory.create(1, 17.5f)),
        RowFactory.create("ZTF2", 20_000L, RowFactory.create(2, 19.5f)),
        RowFactory.create("ZTF3", null, RowFactory.create(null, null)),
        RowFactory.create("ZTF4", 9_999L, RowFactory.create(3, 18.25f)));
    alerts = TestSpark.session().createDataFrame(rows, schema);
  }

  private static List<String> selected(List<Condition> conditions) {
    Column keep = new RuleColumns(alerts.schema()).all(conditions);
    return alerts.filter(keep).select("objectId").as(org.apache.spark.sql.Encoders.STRING()).collectAsList()
        .stream().sorted().toList();
  }

  @Test
  void anInListOfTheMostValuesIsASetLookup() {
    long[] values = IntStream.range(0, RuleLimits.MAX_LIST_VALUES).asLongStream().toArray();
    assertTimeoutPreemptively(BOUND, () -> {
      assertEquals(List.of("ZTF1", "ZTF4"), selected(List.of(field("candid").in(values))));
      assertEquals(List.of("ZTF2"), selected(List.of(field("candid").notIn(values))), "null is neither in nor out");
      String[] names = IntStream.range(0, RuleLimits.MAX_LIST_VALUES).mapToObj(i -> "ZTF" + (i * 2 + 2))
          .toArray(String[]::new);
      assertEquals(List.of("ZTF2", "ZTF4"), selected(List.of(field("objectId").in(names))));
    });
  }

  @Test
  void anInListMixingWholeAndFractionalNumbersComparesEachAsEqualsDoes() {
    List<Literal> mixed = new ArrayList<>();
    IntStream.range(100, 100 + RuleLimits.MAX_LIST_VALUES / 2).forEach(i -> mixed.add(Literal.Number.class.cast(
        new Literal.Number(java.math.BigDecimal.valueOf(i)))));
    mixed.add(new Literal.Number(new java.math.BigDecimal("1.0")));
    mixed.add(new Literal.Number(new java.math.BigDecimal("2.5")));
    assertEquals(List.of("ZTF1"), selected(List.of(field("candidate.fid").in(mixed, false))));
    assertEquals(List.of("ZTF4"), selected(List.of(field("candidate.magpsf").in(18.25, 1e6))));
  }

  @Test
  void theMostConditionsAndedOrOredRun() {
    int n = RuleLimits.MAX_CONDITIONS - 1;
    Condition[] unequal = IntStream.range(0, n).mapToObj(i -> field("candid").ne(100_000L + i))
        .toArray(Condition[]::new);
    Condition[] equal = IntStream.range(0, n).mapToObj(i -> field("candid").eq(9_999L + i))
        .toArray(Condition[]::new);
    assertTimeoutPreemptively(BOUND, () -> {
      assertEquals(List.of("ZTF1", "ZTF2", "ZTF4"), selected(Arrays.asList(unequal)), "the filter's own AND");
      assertEquals(List.of("ZTF1", "ZTF2", "ZTF4"), selected(List.of(Rules.and(unequal))));
      assertEquals(List.of("ZTF4"), selected(List.of(Rules.or(equal))));
    });
  }
}
