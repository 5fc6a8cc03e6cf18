package org.fink.distribution.rules;

import java.util.Objects;

/** {@code field operator value}, e.g. {@code candidate.magpsf < 18}. */
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
    return field + " " + operator.symbol() + " " + value.toXml();
  }
}
