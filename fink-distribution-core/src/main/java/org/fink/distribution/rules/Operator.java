package org.fink.distribution.rules;

import java.util.Arrays;
import java.util.Optional;

/**
 * Comparison operators of the rule language, by symbol and by word.
 *
 * <pre>{@code
 * Operator.parse("<=");      // Optional[LE]
 * Operator.parse("ge");      // Optional[GE]
 * Operator.LT.test(-1);      // true
 * }</pre>
 */
public enum Operator {
  LT("<", "lt"), LE("<=", "le"), EQ("=", "eq"), NE("!=", "ne"), GE(">=", "ge"), GT(">", "gt");

  private final String symbol;
  private final String word;

  Operator(String symbol, String word) {
    this.symbol = symbol;
    this.word = word;
  }

  public String symbol() {
    return symbol;
  }

  /** The operator as a word ({@code lt}), for places where {@code <} is awkward. */
  public String word() {
    return word;
  }

  /** The operator written as a symbol ({@code <}) or a word ({@code lt}); {@code ==} is accepted for {@code =}. */
  public static Optional<Operator> parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.equals("==")) {
      return Optional.of(EQ);
    }
    return Arrays.stream(values()).filter(o -> o.symbol.equals(t) || o.word.equalsIgnoreCase(t)).findFirst();
  }

  /** Whether {@code comparison} (negative, zero, positive, as from compareTo) satisfies this operator. */
  public boolean test(int comparison) {
    return switch (this) {
      case LT -> comparison < 0;
      case LE -> comparison <= 0;
      case EQ -> comparison == 0;
      case NE -> comparison != 0;
      case GE -> comparison >= 0;
      case GT -> comparison > 0;
    };
  }
}
