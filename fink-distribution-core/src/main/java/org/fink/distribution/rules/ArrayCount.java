package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;

/**
 * {@code count(array [where ...]) operator value}: how many elements of an array of records (those matching every
 * {@code where} condition, or all of them) compared to a number. The {@code where} paths are relative to an element;
 * a missing array has no element.
 *
 * <pre>{@code
 * // at least 3 previous detections brighter than 19
 * Rules.count("prv_candidates").where(field("magpsf").lt(19)).ge(3);
 * }</pre>
 */
public record ArrayCount(FieldPath array, List<Condition> where, Operator operator, Literal.Number value)
    implements Condition {
  public ArrayCount {
    Objects.requireNonNull(array, "array");
    where = List.copyOf(where);
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitCount(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
