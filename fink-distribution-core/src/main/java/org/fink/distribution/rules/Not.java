package org.fink.distribution.rules;

import java.util.Objects;

/**
 * True when the condition is false. Conditions are two-valued (see {@link Condition}): a comparison with a null field
 * is false, so its negation is true.
 *
 * <pre>{@code
 * Rules.not(field("candidate.ssnamenr").isNull());
 * }</pre>
 */
public record Not(Condition condition) implements Condition {
  public Not {
    Objects.requireNonNull(condition, "condition");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitNot(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
