package org.fink.distribution.cli;

import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.spark.FinkSparkSession;

/** The SparkSession of a command, on the configured master ({@code SPARK_MASTER}). */
final class SparkSessions {
  /** How many times a command asked for a session in this JVM: tests check that fast paths ask for none. */
  static final java.util.concurrent.atomic.AtomicInteger REQUESTS = new java.util.concurrent.atomic.AtomicInteger();

  private SparkSessions() {}

  static SparkSession of(FinkConfig config, String appName) {
    REQUESTS.incrementAndGet();
    return FinkSparkSession.getOrCreate(config.get(ConfigKey.SPARK_MASTER), appName);
  }
}
