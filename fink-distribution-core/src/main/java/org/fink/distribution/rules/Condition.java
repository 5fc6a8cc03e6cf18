package org.fink.distribution.rules;

/**
 * A boolean condition on an alert. Conditions are immutable; walk them with a {@link ConditionVisitor}.
 *
 * <p>Null semantics: a comparison with a null (or missing) field is false.
 */
public sealed interface Condition permits Comparison {
  <R> R accept(ConditionVisitor<R> visitor);
}
