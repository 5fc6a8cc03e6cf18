package org.fink.distribution.rules;

import java.util.Objects;

/**
 * {@code field is null}, or {@code field is not null} when {@code negated}. A field inside a null record is null.
 *
 * <pre>{@code
 * field("candidate.ssnamenr").isNotNull();
 * }</pre>
 */
public record IsNull(FieldPath field, boolean negated) implements Condition {
  public IsNull {
    Objects.requireNonNull(field, "field");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitIsNull(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
