package org.fink.distribution.rules;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code field matches regex}: the regular expression (Java syntax) matches somewhere in a string field; anchor it
 * with {@code ^} and {@code $} to match the whole value. False when the field is null. The expression is checked when
 * the condition is made.
 *
 * <pre>{@code
 * field("candidate.ssnamenr").matches("^[0-9]+$");   // numbered asteroids
 * }</pre>
 */
public record Matches(FieldPath field, String regex) implements Condition {
  public Matches {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(regex, "regex");
    compile(regex);
  }

  /**
   * The compiled expression.
   *
   * @throws IllegalArgumentException saying what is wrong and where, when {@code regex} is not a valid expression
   */
  public static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression '" + regex + "': " + e.getDescription()
          + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "")
          + "; escape special characters with a backslash (\\. \\( \\[ \\*)");
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitMatches(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
