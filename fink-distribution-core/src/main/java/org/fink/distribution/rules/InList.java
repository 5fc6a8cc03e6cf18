package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;

/**
 * {@code field in (v1, v2, ...)}, or {@code not in} when {@code negated}. Both are false when the field is null.
 *
 * <pre>{@code
 * field("candidate.fid").in(1, 2);          // candidate.fid IN (1, 2)
 * field("candidate.isdiffpos").notIn("f");  // candidate.isdiffpos NOT IN ('f')
 * }</pre>
 */
public record InList(FieldPath field, List<Literal> values, boolean negated) implements Condition {
  public InList {
    Objects.requireNonNull(field, "field");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("an in list needs at least one value");
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitInList(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
