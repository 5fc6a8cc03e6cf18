package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A value in a rule: a number, or a string. In XML, strings are written in single quotes ({@code 'Star'}), numbers
 * bare ({@code 18}, {@code -1.5e3}).
 *
 * <pre>{@code
 * Literal.parse("'Star'");            // Text[Star]
 * Literal.parse("18");                // Number[18]
 * Literal.parseList("'SN Ia', 'it''s'");  // [Text[SN Ia], Text[it's]]: in a list, '' is a quote
 * }</pre>
 *
 * <p>A value is only ever data: {@code '1 OR 1=1'} is the eight characters between the quotes, compared as a string.
 */
public sealed interface Literal {
  /** A number, kept exact; two numbers are equal when they are numerically equal ({@code 18} and {@code 18.0}). */
  record Number(BigDecimal value) implements Literal {
    public Number {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toXml() {
      return value.toString();
    }

    /** The value as a long, when it is a whole number that fits one. */
    public Optional<Long> exactLong() {
      BigDecimal whole = value.stripTrailingZeros();
      if (whole.scale() > 0) {
        return Optional.empty();
      }
      try {
        return Optional.of(whole.longValueExact());
      } catch (ArithmeticException e) {
        return Optional.empty();
      }
    }

    /** The nearest double. */
    public double doubleValue() {
      return value.doubleValue();
    }

    /**
     * The nearest float (rounded once, from the exact decimal): the value a float field is compared with, so that
     * {@code 0.59} equals a stored {@code 0.58999997f}.
     */
    public float floatValue() {
      return value.floatValue();
    }

    /** True when a float holds this value exactly (0.5, 18, 0.25 yes; 0.59 no). */
    public boolean exactFloat() {
      float f = floatValue();
      return !Float.isInfinite(f) && new BigDecimal(f).compareTo(value) == 0;
    }

    /** True when a double holds this value exactly. */
    public boolean exactDouble() {
      double d = doubleValue();
      return !Double.isInfinite(d) && new BigDecimal(d).compareTo(value) == 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Number other && value.compareTo(other.value) == 0;
    }

    @Override
    public int hashCode() {
      return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
      return toXml();
    }
  }

  /** A string. */
  record Text(String value) implements Literal {
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toXml() {
      return "'" + value + "'";
    }

    @Override
    public String toString() {
      return toXml();
    }
  }

  /** The text of this value in the XML rule format, as one value ({@code value="'Star'"}). */
  String toXml();

  /** The number as Java prints it, without a useless {@code .0}: 17.0 is {@code 17}, 0.55 is {@code 0.55}. */
  static Literal of(double value) {
    BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
    return new Number(exact.scale() < 0 ? exact.setScale(0) : exact);
  }

  static Literal of(long value) {
    return new Number(BigDecimal.valueOf(value));
  }

  static Literal of(String value) {
    return new Text(value);
  }

  /**
   * Reads the XML form of one value: {@code 'text'} is a string (everything between the outer quotes, as written),
   * anything else must be a number.
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

  /**
   * Reads a comma-separated list of values ({@code in}, {@code between}): numbers, or strings in single quotes in which
   * a quote is written twice ({@code 'it''s'}).
   *
   * @throws IllegalArgumentException with the fix, when an item is neither a number nor a quoted string
   */
  static List<Literal> parseList(String xml) {
    List<Literal> values = new ArrayList<>();
    int i = 0;
    int n = xml.length();
    while (true) {
      while (i < n && Character.isWhitespace(xml.charAt(i))) {
        i++;
      }
      if (i == n) {
        if (!values.isEmpty()) {
          throw new IllegalArgumentException("list \"" + xml + "\" ends with a comma; remove it");
        }
        return values;
      }
      if (xml.charAt(i) == '\'') {
        StringBuilder text = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            throw new IllegalArgumentException("list \"" + xml + "\": the string starting at character " + (i + 1)
                + " has no closing quote; write a quote inside a string as ''");
          }
          char c = xml.charAt(j);
          if (c == '\'' && j + 1 < n && xml.charAt(j + 1) == '\'') {
            text.append('\'');
            j += 2;
          } else if (c == '\'') {
            j++;
            break;
          } else {
            text.append(c);
            j++;
          }
        }
        values.add(new Text(text.toString()));
        i = j;
      } else {
        int comma = xml.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        String item = xml.substring(i, end).strip();
        if (item.isEmpty()) {
          throw new IllegalArgumentException("list \"" + xml + "\" has an empty item; separate values by one comma");
        }
        try {
          values.add(new Number(new BigDecimal(item)));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("list \"" + xml + "\": \"" + item + "\" is neither a number nor a"
              + " quoted string; write strings in single quotes: '" + item.replace("'", "") + "'");
        }
        i = end;
      }
      while (i < n && Character.isWhitespace(xml.charAt(i))) {
        i++;
      }
      if (i == n) {
        return values;
      }
      if (xml.charAt(i) != ',') {
        throw new IllegalArgumentException("list \"" + xml + "\": expected a comma at character " + (i + 1)
            + "; separate values by commas, write a quote inside a string as ''");
      }
      i++;
    }
  }

  /** The XML form of a list of values, as {@link #parseList} reads it. */
  static String toXmlList(List<Literal> values) {
    return values.stream()
        .map(v -> v instanceof Text t ? "'" + t.value().replace("'", "''") + "'" : v.toXml())
        .collect(Collectors.joining(", "));
  }
}
