package org.fink.distribution.rules;

import java.util.Objects;

/**
 * {@code field startswith prefix}: a string field beginning with {@code prefix} (case-sensitive); false when null.
 *
 * <pre>{@code
 * field("objectId").startsWith("ZTF21");
 * }</pre>
 */
public record StartsWith(FieldPath field, String prefix) implements Condition {
  public StartsWith {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitStartsWith(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
