package org.fink.distribution.rules;

import java.util.Objects;

/**
 * {@code low <= field <= high} (both bounds included); false when the field is null.
 *
 * <pre>{@code
 * field("candidate.magdiff").between(-0.1, 0.1);   // |magdiff| <= 0.1
 * }</pre>
 */
public record Between(FieldPath field, Literal low, Literal high) implements Condition {
  public Between {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(low, "low");
    Objects.requireNonNull(high, "high");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitBetween(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
