package org.fink.distribution.rules;

import java.util.List;

/**
 * True when at least one condition holds.
 *
 * <pre>{@code
 * Rules.or(field("candidate.isdiffpos").eq("t"), field("candidate.isdiffpos").eq("1"));
 * }</pre>
 */
public record Or(List<Condition> conditions) implements Condition {
  public Or {
    conditions = List.copyOf(conditions);
    if (conditions.isEmpty()) {
      throw new IllegalArgumentException("an or group needs at least one condition");
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitOr(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
