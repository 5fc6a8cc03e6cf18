/**
 * Fixtures shared by the tests of every module, used at test scope only and never shipped:
 * {@link org.fink.distribution.testkit.SharedData} (the real ZTF and Rubin alerts outside the repository, and the
 * JUnit assumption that reports a test skipped, with the reason, when they are absent) and
 * {@link org.fink.distribution.testkit.ZtfLikeSchema} (a small ZTF-shaped Avro schema) and
 * {@link org.fink.distribution.testkit.DownloadFolder} (a download's finished files, listed while it runs; the
 * benchmark's fault runs use it too).
 *
 * <p>This module depends on no module of the project (Avro and the JUnit API only), so that core's tests can use it
 * too: a fixture that needs core, Kafka or Spark stays in the tests of the module that has them (the embedded broker
 * is {@code fink-kafka-admin}'s {@code EmbeddedKafkaBroker.shared()}, the SparkSession is the spark module's
 * {@code TestSpark}).
 */
package org.fink.distribution.testkit;
