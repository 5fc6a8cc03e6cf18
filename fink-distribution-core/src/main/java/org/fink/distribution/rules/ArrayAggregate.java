package org.fink.distribution.rules;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code min}, {@code max} or {@code span} (max - min) of a numeric field over the elements of an array of records,
 * compared to a number. Only elements matching every {@code where} condition count; null values are skipped; the
 * optional {@code include} field (outside the array, e.g. the current detection's {@code candidate.jd}) joins the
 * values. Computed in double precision. With no value at all the condition is false.
 *
 * <pre>{@code
 * // the light curve (previous detections and this one) spans more than 10 days
 * Rules.span("prv_candidates", "jd").including("candidate.jd").where(field("magpsf").isNotNull()).gt(10);
 * }</pre>
 *
 * @param include a field outside the array whose value joins the aggregate, or null
 */
public record ArrayAggregate(Function function, FieldPath array, FieldPath field, FieldPath include,
    List<Condition> where, Operator operator, Literal.Number value) implements Condition {

  /** What is computed over the values. */
  public enum Function {
    MIN, MAX, SPAN;

    /** The XML element name: {@code min}, {@code max}, {@code span}. */
    public String xmlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ArrayAggregate {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(array, "array");
    Objects.requireNonNull(field, "field");
    where = List.copyOf(where);
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitAggregate(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
