package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;

/**
 * True when every element of an array of records matches every {@code where} condition (paths relative to the
 * element); true for an empty or missing array, false when an element is null.
 *
 * <pre>{@code
 * Rules.all("prv_candidates", field("fid").eq(1));   // a history in the g band only
 * }</pre>
 */
public record ArrayAll(FieldPath array, List<Condition> where) implements Condition {
  public ArrayAll {
    Objects.requireNonNull(array, "array");
    where = List.copyOf(where);
    if (where.isEmpty()) {
      throw new IllegalArgumentException("all needs at least one condition on the elements of " + array);
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitAll(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
