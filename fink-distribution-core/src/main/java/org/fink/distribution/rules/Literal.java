package org.fink.distribution.rules;

import java.math.BigDecimal;

/**
 * A value in a rule: a number, or a string. In XML, strings are written in single quotes ({@code 'Star'}), numbers
 * bare ({@code 18}, {@code -1.5e3}).
 */
public sealed interface Literal {
  /** A number, kept exact. */
  record Number(BigDecimal value) implements Literal {
    @Override
    public String toXml() {
      return value.toString();
    }
  }

  /** A string. */
  record Text(String value) implements Literal {
    @Override
    public String toXml() {
      return "'" + value + "'";
    }
  }

  /** The text of this value in the XML rule format. */
  String toXml();

  static Literal of(double value) {
    return new Number(BigDecimal.valueOf(value));
  }

  static Literal of(long value) {
    return new Number(BigDecimal.valueOf(value));
  }

  static Literal of(String value) {
    return new Text(value);
  }

  /**
   * Reads the XML form of a value: {@code 'text'} is a string, anything else must be a number.
   *
   * @throws IllegalArgumentException with the fix, when the value is neither
   */
  static Literal parse(String xml) {
    String t = xml.strip();
    if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
      return new Text(t.substring(1, t.length() - 1));
    }
    try {
      return new Number(new BigDecimal(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("value \"" + xml + "\" is neither a number nor a quoted string;"
          + " write strings in single quotes: value=\"'" + t.replace("'", "") + "'\"");
    }
  }
}
