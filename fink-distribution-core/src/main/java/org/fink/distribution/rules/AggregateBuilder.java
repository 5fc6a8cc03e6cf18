package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an {@link ArrayAggregate}: {@code Rules.min/max/span(array, field)}, optionally {@code .including(field)} and
 * {@code .where(...)}, then the comparison.
 *
 * <pre>{@code
 * Rules.min("prv_candidates", "magpsf").lt(17);
 * Rules.span("prv_candidates", "jd").including("candidate.jd").where(field("magpsf").isNotNull()).gt(10);
 * }</pre>
 */
public final class AggregateBuilder {
  private final ArrayAggregate.Function function;
  private final FieldPath array;
  private final FieldPath field;
  private final FieldPath include;
  private final List<Condition> where;

  AggregateBuilder(ArrayAggregate.Function function, FieldPath array, FieldPath field, FieldPath include,
      List<Condition> where) {
    this.function = function;
    this.array = array;
    this.field = field;
    this.include = include;
    this.where = List.copyOf(where);
  }

  /** Adds the value of a field outside the array (e.g. {@code candidate.jd}) to those of the elements. */
  public AggregateBuilder including(String path) {
    return new AggregateBuilder(function, array, field, FieldPath.of(path), where);
  }

  /** Takes only the elements matching every condition (paths relative to the element). */
  public AggregateBuilder where(Condition... conditions) {
    List<Condition> all = new ArrayList<>(where);
    all.addAll(List.of(conditions));
    return new AggregateBuilder(function, array, field, include, all);
  }

  public ArrayAggregate lt(double value) {
    return compare(Operator.LT, value);
  }

  public ArrayAggregate le(double value) {
    return compare(Operator.LE, value);
  }

  public ArrayAggregate eq(double value) {
    return compare(Operator.EQ, value);
  }

  public ArrayAggregate ne(double value) {
    return compare(Operator.NE, value);
  }

  public ArrayAggregate ge(double value) {
    return compare(Operator.GE, value);
  }

  public ArrayAggregate gt(double value) {
    return compare(Operator.GT, value);
  }

  public ArrayAggregate compare(Operator operator, double value) {
    return new ArrayAggregate(function, array, field, include, where, operator, (Literal.Number) Literal.of(value));
  }
}
