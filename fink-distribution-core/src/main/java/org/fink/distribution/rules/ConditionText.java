package org.fink.distribution.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a condition the way a person reads the rule: {@code candidate.magpsf < 18 AND candidate.rb >= 0.55}. Groups
 * inside groups are parenthesized; strings are in single quotes. This is the {@code toString()} of every condition.
 *
 * <pre>{@code
 * ConditionText.of(field("candidate.fid").in(1, 2).or(field("candidate.rb").ge(0.9)));
 * // "candidate.fid IN (1, 2) OR candidate.rb >= 0.9"
 * ConditionText.of(Rules.count("prv_candidates").where(field("magpsf").lt(19)).ge(3));
 * // "COUNT(prv_candidates: magpsf < 19) >= 3"
 * }</pre>
 */
public final class ConditionText implements ConditionVisitor<String> {
  private static final ConditionText INSTANCE = new ConditionText();

  private ConditionText() {}

  public static String of(Condition condition) {
    return condition.accept(INSTANCE);
  }

  /** Conditions joined by AND, as the children of {@code <filter>}; {@code TRUE} when there is none. */
  public static String of(List<Condition> conditions) {
    if (conditions.isEmpty()) {
      return "TRUE";
    }
    return conditions.size() == 1 ? of(conditions.get(0)) : of(new And(conditions));
  }

  @Override
  public String visitComparison(Comparison c) {
    return c.field() + " " + c.operator().symbol() + " " + c.value().toXml();
  }

  @Override
  public String visitInList(InList in) {
    return in.field() + (in.negated() ? " NOT IN (" : " IN (") + Literal.toXmlList(in.values()) + ")";
  }

  @Override
  public String visitBetween(Between b) {
    return b.field() + " BETWEEN " + b.low().toXml() + " AND " + b.high().toXml();
  }

  @Override
  public String visitIsNull(IsNull n) {
    return n.field() + (n.negated() ? " IS NOT NULL" : " IS NULL");
  }

  @Override
  public String visitStartsWith(StartsWith s) {
    return s.field() + " STARTSWITH " + Literal.of(s.prefix()).toXml();
  }

  @Override
  public String visitMatches(Matches m) {
    return m.field() + " MATCHES " + Literal.of(m.regex()).toXml();
  }

  @Override
  public String visitAnd(And and) {
    return join(and.conditions(), " AND ");
  }

  @Override
  public String visitOr(Or or) {
    return join(or.conditions(), " OR ");
  }

  @Override
  public String visitNot(Not not) {
    return "NOT (" + of(not.condition()) + ")";
  }

  @Override
  public String visitCount(ArrayCount count) {
    return "COUNT(" + count.array() + where(count.where()) + ") " + count.operator().symbol() + " "
        + count.value().toXml();
  }

  @Override
  public String visitAny(ArrayAny any) {
    return "ANY(" + any.array() + where(any.where()) + ")";
  }

  @Override
  public String visitAll(ArrayAll all) {
    return "ALL(" + all.array() + where(all.where()) + ")";
  }

  @Override
  public String visitAggregate(ArrayAggregate a) {
    return a.function().name() + "(" + a.array() + "." + a.field()
        + (a.include() == null ? "" : ", " + a.include()) + where(a.where()) + ") " + a.operator().symbol() + " "
        + a.value().toXml();
  }

  @Override
  public String visitCone(Cone cone) {
    return "(" + cone.ra() + ", " + cone.dec() + ") WITHIN " + cone.radius().toPlainString() + " "
        + cone.unit().xmlName() + " OF (" + cone.centerRa().toPlainString() + ", "
        + cone.centerDec().toPlainString() + ")";
  }

  @Override
  public String visitWatchlist(Watchlist w) {
    return "(" + w.ra() + ", " + w.dec() + ") WITHIN " + w.radius().toPlainString() + " " + w.unit().xmlName()
        + " OF WATCHLIST " + w.file() + (w.annotate() ? " ANNOTATED" : "");
  }

  private static String where(List<Condition> where) {
    return where.isEmpty() ? "" : ": " + of(where);
  }

  private static String join(List<Condition> conditions, String operator) {
    return conditions.stream()
        .map(c -> c instanceof And || c instanceof Or ? "(" + of(c) + ")" : of(c))
        .collect(Collectors.joining(operator));
  }
}
