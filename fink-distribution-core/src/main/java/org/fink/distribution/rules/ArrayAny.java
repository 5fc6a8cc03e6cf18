package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;

/**
 * True when at least one element of an array of records matches every {@code where} condition (paths relative to the
 * element). False for an empty or missing array.
 *
 * <pre>{@code
 * Rules.any("prv_candidates", field("magpsf").lt(17));   // once brighter than 17
 * }</pre>
 */
public record ArrayAny(FieldPath array, List<Condition> where) implements Condition {
  public ArrayAny {
    Objects.requireNonNull(array, "array");
    where = List.copyOf(where);
    if (where.isEmpty()) {
      throw new IllegalArgumentException("any needs at least one condition on the elements of " + array);
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitAny(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
