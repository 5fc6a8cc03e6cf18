package org.fink.distribution.rules;

import java.util.List;

/**
 * True when every condition holds. The children of {@code <filter>} are ANDed too (without an {@code And} node).
 *
 * <pre>{@code
 * Rules.and(field("candidate.rb").ge(0.65), field("candidate.nbad").eq(0));
 * }</pre>
 */
public record And(List<Condition> conditions) implements Condition {
  public And {
    conditions = List.copyOf(conditions);
    if (conditions.isEmpty()) {
      throw new IllegalArgumentException("an and group needs at least one condition");
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitAnd(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
