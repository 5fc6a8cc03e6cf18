package org.fink.distribution.rules;

/** Walks a {@link Condition} tree; each back end (Spark columns, plain Avro evaluation, XML) is one visitor. */
public interface ConditionVisitor<R> {
  R visitComparison(Comparison comparison);
}
