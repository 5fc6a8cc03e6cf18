package org.fink.distribution.cli;

import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.spark.FinkSparkSession;

/** The SparkSession of a command, on the configured master ({@code SPARK_MASTER}). */
final class SparkSessions {
  private SparkSessions() {}

  static SparkSession of(FinkConfig config, String appName) {
    return FinkSparkSession.getOrCreate(config.get(ConfigKey.SPARK_MASTER), appName);
  }
}
