package org.fink.distribution.rules;

import java.util.Optional;

/**
 * How rule values compare, exactly as Spark SQL compares them, so that the Spark and the Avro evaluators agree:
 * <ul>
 *   <li>an integer field (int, long) against a whole-number value: as longs;</li>
 *   <li>a float (32-bit) field against any number: in the field's precision, the value rounded to the nearest float
 *   first, so {@code 0.59} equals the stored {@code 0.58999997f} (the float nearest 0.59);</li>
 *   <li>any other number pair: as doubles, with {@code -0.0 = 0.0} and NaN equal to itself and above every other
 *   number (floats too);</li>
 *   <li>strings: by Unicode code point (the order of their UTF-8 bytes), case-sensitive.</li>
 * </ul>
 *
 * <pre>{@code
 * ValueOrder.compare(17.5f, Literal.of(18));     // Optional[-1]
 * ValueOrder.compare(0.59f, Literal.of(0.59));   // Optional[0]: compared as floats
 * ValueOrder.compare("Star", Literal.of("Star"));  // Optional[0]
 * ValueOrder.compare("Star", Literal.of(18));    // Optional.empty(): not comparable, the condition is false
 * }</pre>
 */
public final class ValueOrder {
  private ValueOrder() {}

  /**
   * Compares a field value (a {@link Number} or a string) with a rule value; empty when they cannot be compared
   * (null, or a number against a string).
   */
  public static Optional<Integer> compare(Object value, Literal literal) {
    if (value instanceof Number number && literal instanceof Literal.Number n) {
      Optional<Long> whole = n.exactLong();
      if ((value instanceof Long || value instanceof Integer) && whole.isPresent()) {
        return Optional.of(Long.compare(number.longValue(), whole.get()));
      }
      if (value instanceof Float f) {
        return Optional.of(compareDoubles(f, n.floatValue()));
      }
      return Optional.of(compareDoubles(number.doubleValue(), n.doubleValue()));
    }
    if (value instanceof String text && literal instanceof Literal.Text t) {
      return Optional.of(compareStrings(text, t.value()));
    }
    return Optional.empty();
  }

  /** Two rule values of the same kind (numbers exactly, strings by code point); 0 for different kinds. */
  public static int compareLiterals(Literal a, Literal b) {
    if (a instanceof Literal.Number x && b instanceof Literal.Number y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof Literal.Text x && b instanceof Literal.Text y) {
      return compareStrings(x.value(), y.value());
    }
    return 0;
  }

  /** Spark's double order: {@code -0.0 = 0.0}, NaN equal to NaN and greater than any other value. */
  public static int compareDoubles(double a, double b) {
    return a == b ? 0 : Double.compare(a, b);
  }

  /** Code point order (not UTF-16 unit order), as Spark compares UTF-8 strings. */
  public static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
