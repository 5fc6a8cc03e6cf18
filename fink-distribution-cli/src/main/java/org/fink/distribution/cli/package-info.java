/**
 * The command line ({@code bin/fink}, {@code bin/fink_kafka}, {@code spark-submit --class
 * org.fink.distribution.cli.FinkCommand}): picocli commands over the public API of {@code fink-distribution-core},
 * {@code fink-distribution-spark} and {@code fink-kafka-admin} ({@code fink demo} also uses the synthetic alerts of
 * {@code fink-distribution-sample}). Not a library API: use those modules instead (see
 * {@code org.fink.distribution.spark.Distribution}).
 */
package org.fink.distribution.cli;
