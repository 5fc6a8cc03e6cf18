/**
 * The distribution rules (DESIGN.md §6) as values: streams ({@link org.fink.distribution.rules.DistributionStream}:
 * name, topic, projection, filter) in {@link org.fink.distribution.rules.DistributionRules}, conditions as a typed AST
 * ({@link org.fink.distribution.rules.Condition} and its records, walked by a
 * {@link org.fink.distribution.rules.ConditionVisitor}); {@link org.fink.distribution.rules.Rules} is the fluent
 * builder, {@link org.fink.distribution.rules.RuleValidator} checks rules against the science-database schema (every
 * field exists, every value has its field's type) and reports each problem with its fix. What rules mean, shared by
 * every evaluator: {@link org.fink.distribution.rules.SchemaPaths} finds the field a path names in an Avro schema,
 * {@link org.fink.distribution.rules.ValueOrder} is how values compare (as Spark SQL compares them), and
 * {@link org.fink.distribution.rules.EditDistance} finds the name a user probably meant ("did you mean ...?").
 *
 * <pre>{@code
 * import static org.fink.distribution.rules.Rules.*;
 *
 * DistributionRules rules = Rules.stream("bright").topic("fink_bright_ztf")
 *     .filter(field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.55)))
 *     .filter(count("prv_candidates").where(field("magpsf").lt(19)).ge(3))
 *     .drop("cutoutTemplate")
 *     .rules();
 * List<RuleProblem> problems = RuleValidator.problems(rules, scienceDbAvroSchema);   // empty: fine
 * }</pre>
 *
 * <p>The XML format is {@link org.fink.distribution.rules.xml}; evaluation on Avro records is
 * {@link org.fink.distribution.rules.avro}; on Spark DataFrames, {@code org.fink.distribution.spark.RuleColumns} of
 * {@code fink-distribution-spark}.
 */
package org.fink.distribution.rules;
