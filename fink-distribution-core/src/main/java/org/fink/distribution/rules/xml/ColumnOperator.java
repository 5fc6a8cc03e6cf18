package org.fink.distribution.rules.xml;

import java.util.Locale;
import java.util.Optional;
import org.fink.distribution.rules.Operator;

/**
 * The {@code operator} attribute of a {@code <column>} condition: a comparison ({@code < <= = != >= >}, or
 * {@code lt le eq ne ge gt}), {@code in}, {@code not in}, {@code between}, {@code is null}, {@code is not null},
 * {@code startswith}, {@code matches}. Words are case-insensitive; spaces between words are free.
 *
 * <pre>{@code
 * ColumnOperator.parse("NOT  IN");   // Optional[NOT_IN]
 * }</pre>
 */
enum ColumnOperator {
  COMPARISON(null), IN("in"), NOT_IN("not in"), BETWEEN("between"), IS_NULL("is null"), IS_NOT_NULL("is not null"),
  STARTSWITH("startswith"), MATCHES("matches");

  /** Every operator, for messages. */
  static final String ALL = "< <= = != >= > (or lt le eq ne ge gt), in, not in, between, is null, is not null,"
      + " startswith, matches";

  private final String text;

  ColumnOperator(String text) {
    this.text = text;
  }

  /** How the operator is written in XML. */
  String text() {
    return text;
  }

  static Optional<ColumnOperator> parse(String operator) {
    if (Operator.parse(operator).isPresent()) {
      return Optional.of(COMPARISON);
    }
    String words = operator.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    for (ColumnOperator o : values()) {
      if (words.equals(o.text)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
