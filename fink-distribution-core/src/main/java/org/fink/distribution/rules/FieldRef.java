package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A field of the alert, to make conditions on it: the left-hand side of the fluent rule builder ({@link Rules#field}).
 *
 * <pre>{@code
 * field("candidate.magpsf").lt(18)            // candidate.magpsf < 18
 * field("candidate.isdiffpos").in("t", "1")   // candidate.isdiffpos IN ('t', '1')
 * field("candidate.magdiff").between(-0.1, 0.1)
 * field("candidate.ssnamenr").isNull()
 * }</pre>
 */
public final class FieldRef {
  private final FieldPath path;

  FieldRef(FieldPath path) {
    this.path = path;
  }

  public FieldPath path() {
    return path;
  }

  public Comparison lt(long value) {
    return compare(Operator.LT, Literal.of(value));
  }

  public Comparison lt(double value) {
    return compare(Operator.LT, Literal.of(value));
  }

  public Comparison lt(String value) {
    return compare(Operator.LT, Literal.of(value));
  }

  public Comparison le(long value) {
    return compare(Operator.LE, Literal.of(value));
  }

  public Comparison le(double value) {
    return compare(Operator.LE, Literal.of(value));
  }

  public Comparison le(String value) {
    return compare(Operator.LE, Literal.of(value));
  }

  public Comparison eq(long value) {
    return compare(Operator.EQ, Literal.of(value));
  }

  public Comparison eq(double value) {
    return compare(Operator.EQ, Literal.of(value));
  }

  public Comparison eq(String value) {
    return compare(Operator.EQ, Literal.of(value));
  }

  public Comparison ne(long value) {
    return compare(Operator.NE, Literal.of(value));
  }

  public Comparison ne(double value) {
    return compare(Operator.NE, Literal.of(value));
  }

  public Comparison ne(String value) {
    return compare(Operator.NE, Literal.of(value));
  }

  public Comparison ge(long value) {
    return compare(Operator.GE, Literal.of(value));
  }

  public Comparison ge(double value) {
    return compare(Operator.GE, Literal.of(value));
  }

  public Comparison ge(String value) {
    return compare(Operator.GE, Literal.of(value));
  }

  public Comparison gt(long value) {
    return compare(Operator.GT, Literal.of(value));
  }

  public Comparison gt(double value) {
    return compare(Operator.GT, Literal.of(value));
  }

  public Comparison gt(String value) {
    return compare(Operator.GT, Literal.of(value));
  }

  /** {@code field operator value}, for an operator chosen at run time. */
  public Comparison compare(Operator operator, Literal value) {
    return new Comparison(path, operator, value);
  }

  public InList in(long... values) {
    return new InList(path, Arrays.stream(values).mapToObj(Literal::of).toList(), false);
  }

  public InList in(double... values) {
    return new InList(path, Arrays.stream(values).mapToObj(Literal::of).toList(), false);
  }

  public InList in(String... values) {
    return new InList(path, Arrays.stream(values).map(Literal::of).toList(), false);
  }

  public InList notIn(long... values) {
    return new InList(path, Arrays.stream(values).mapToObj(Literal::of).toList(), true);
  }

  public InList notIn(double... values) {
    return new InList(path, Arrays.stream(values).mapToObj(Literal::of).toList(), true);
  }

  public InList notIn(String... values) {
    return new InList(path, Arrays.stream(values).map(Literal::of).toList(), true);
  }

  /** {@code field in (values)}, or {@code not in} when {@code negated}, with values of any kind. */
  public InList in(List<Literal> values, boolean negated) {
    return new InList(path, values, negated);
  }

  /** Both bounds included. */
  public Between between(long low, long high) {
    return new Between(path, Literal.of(low), Literal.of(high));
  }

  /** Both bounds included. */
  public Between between(double low, double high) {
    return new Between(path, Literal.of(low), Literal.of(high));
  }

  /** Both bounds included. */
  public Between between(String low, String high) {
    return new Between(path, Literal.of(low), Literal.of(high));
  }

  /** Both bounds included. */
  public Between between(BigDecimal low, BigDecimal high) {
    return new Between(path, new Literal.Number(low), new Literal.Number(high));
  }

  public IsNull isNull() {
    return new IsNull(path, false);
  }

  public IsNull isNotNull() {
    return new IsNull(path, true);
  }

  public StartsWith startsWith(String prefix) {
    return new StartsWith(path, prefix);
  }

  /**
   * The regular expression (Java syntax) matches somewhere in the value.
   *
   * @throws IllegalArgumentException when {@code regex} is not a valid expression
   */
  public Matches matches(String regex) {
    return new Matches(path, regex);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
