package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link ArrayCount}: {@code Rules.count(array)}, optionally {@code .where(...)}, then the comparison.
 *
 * <pre>{@code
 * Rules.count("prv_candidates").where(field("magpsf").lt(19)).ge(3);
 * Rules.count("prv_candidates").eq(0);
 * }</pre>
 */
public final class CountBuilder {
  private final FieldPath array;
  private final List<Condition> where;

  CountBuilder(FieldPath array, List<Condition> where) {
    this.array = array;
    this.where = List.copyOf(where);
  }

  /** Counts only the elements matching every condition (paths relative to the element). */
  public CountBuilder where(Condition... conditions) {
    List<Condition> all = new ArrayList<>(where);
    all.addAll(List.of(conditions));
    return new CountBuilder(array, all);
  }

  public ArrayCount lt(long value) {
    return compare(Operator.LT, value);
  }

  public ArrayCount le(long value) {
    return compare(Operator.LE, value);
  }

  public ArrayCount eq(long value) {
    return compare(Operator.EQ, value);
  }

  public ArrayCount ne(long value) {
    return compare(Operator.NE, value);
  }

  public ArrayCount ge(long value) {
    return compare(Operator.GE, value);
  }

  public ArrayCount gt(long value) {
    return compare(Operator.GT, value);
  }

  public ArrayCount compare(Operator operator, long value) {
    return new ArrayCount(array, where, operator, (Literal.Number) Literal.of(value));
  }
}
