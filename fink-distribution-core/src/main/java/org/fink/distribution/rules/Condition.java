package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A boolean condition on an alert. Conditions are immutable values (records); walk them with a
 * {@link ConditionVisitor}. Build them from XML ({@code RulesXml}) or in Java ({@link Rules}):
 *
 * <pre>{@code
 * Condition bright = field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.55));
 * bright.toString();   // "candidate.magpsf < 18 AND candidate.rb >= 0.55"
 * }</pre>
 *
 * <p><b>Null semantics (two-valued logic).</b> Every condition is either true or false, never unknown. A condition on
 * a missing (null) value is false: {@code x < 18}, {@code x != 18}, {@code x in (...)}, {@code x not in (...)},
 * {@code x startswith ...} are all false when {@code x} is null. {@link Not} inverts this: {@code not (x < 18)} is
 * true when {@code x} is null (use {@code x >= 18}, or add {@code x is not null}, to exclude nulls). A missing array
 * counts as an empty one. Both evaluators (Spark columns and Avro records) implement exactly this.
 */
public sealed interface Condition permits Comparison, InList, Between, IsNull, StartsWith, Matches, And, Or, Not,
    ArrayCount, ArrayAny, ArrayAll, ArrayAggregate, Cone, Watchlist {

  <R> R accept(ConditionVisitor<R> visitor);

  /** This condition AND the others; an AND on the left is extended rather than nested. */
  default Condition and(Condition... others) {
    List<Condition> all = new ArrayList<>(this instanceof And group ? group.conditions() : List.of(this));
    all.addAll(List.of(others));
    return new And(all);
  }

  /** This condition OR the others; an OR on the left is extended rather than nested. */
  default Condition or(Condition... others) {
    List<Condition> all = new ArrayList<>(this instanceof Or group ? group.conditions() : List.of(this));
    all.addAll(List.of(others));
    return new Or(all);
  }

  /** NOT this condition (true where this one is false, including where it is false because of a null). */
  default Condition negate() {
    return new Not(this);
  }
}
