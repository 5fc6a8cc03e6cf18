/**
 * The distribution service on Spark, as a library: what {@code bin/fink start ...} and {@code spark-submit} run, usable
 * from your own code, {@code jshell}, {@code spark-shell} or PySpark ({@code spark._jvm.org.fink.distribution.spark}).
 *
 * <ul>
 *   <li>{@link org.fink.distribution.spark.FinkSparkSession}: the session of a Fink job (or the active one);</li>
 *   <li>{@link org.fink.distribution.spark.ScienceDb}: the science database (Parquet, partitioned by night);</li>
 *   <li>{@link org.fink.distribution.spark.SurveyIngest}: survey alert files (ZTF, Rubin) into the science
 *   database;</li>
 *   <li>{@link org.fink.distribution.spark.DryRun}: what the rules would publish, counted per stream, publishing
 *   nothing;</li>
 *   <li>{@link org.fink.distribution.spark.Distribution}: the service itself, with its settings
 *   ({@link org.fink.distribution.spark.DistributionOptions}); it is planned
 *   ({@link org.fink.distribution.spark.DistributionPlan}: checks, stream topics and schemas, nothing started), then
 *   run once ({@code runOnce()}) or continuously ({@code start()}, a
 *   {@link org.fink.distribution.spark.RunningDistribution} to wait for or stop);</li>
 *   <li>{@link org.fink.distribution.spark.RuleColumns}: rule conditions as Spark columns, to filter any DataFrame of
 *   alerts;</li>
 *   <li>{@link org.fink.distribution.spark.AlertTopicReader} and
 *   {@link org.fink.distribution.spark.DistributionTestConsumer}: a distributed topic read back as a DataFrame.</li>
 * </ul>
 *
 * <pre>{@code
 * SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink");
 * ScienceDb db = new ScienceDb(spark, "run/science_db", "parquet");
 * new SurveyIngest(spark).ingest(Path.of("alerts/"), db);
 * DistributionRules rules = RulesXml.read(Path.of("conf/distribution-rules.xml"));
 * System.out.println(DryRun.of(db, rules).passed());                // {default=123}
 * Distribution.builder().spark(spark).scienceDb(db).rules(rules)
 *     .servers("127.0.0.1:9092").checkpoint("run/checkpoints/distribution")
 *     .build().runOnce();
 * }</pre>
 */
package org.fink.distribution.spark;
