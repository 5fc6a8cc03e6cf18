package org.fink.distribution.rules;

import java.util.Objects;

/**
 * {@code field operator value}, e.g. {@code candidate.magpsf < 18}. False when the field is null.
 *
 * <pre>{@code
 * new Comparison(FieldPath.of("candidate.magpsf"), Operator.LT, Literal.of(18));   // field("candidate.magpsf").lt(18)
 * }</pre>
 */
public record Comparison(FieldPath field, Operator operator, Literal value) implements Condition {
  public Comparison {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitComparison(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
