package org.fink.distribution.rules;

/**
 * Walks a {@link Condition} tree; each back end (Spark columns, Avro record predicate, XML, text, validation) is one
 * visitor.
 *
 * <pre>{@code
 * String text = condition.accept(new ConditionText());
 * }</pre>
 */
public interface ConditionVisitor<R> {
  R visitComparison(Comparison comparison);

  R visitInList(InList inList);

  R visitBetween(Between between);

  R visitIsNull(IsNull isNull);

  R visitStartsWith(StartsWith startsWith);

  R visitMatches(Matches matches);

  R visitAnd(And and);

  R visitOr(Or or);

  R visitNot(Not not);

  R visitCount(ArrayCount count);

  R visitAny(ArrayAny any);

  R visitAll(ArrayAll all);

  R visitAggregate(ArrayAggregate aggregate);

  R visitCone(Cone cone);

  R visitWatchlist(Watchlist watchlist);
}
