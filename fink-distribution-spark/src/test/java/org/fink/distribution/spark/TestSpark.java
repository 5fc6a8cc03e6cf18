package org.fink.distribution.spark;

import org.apache.spark.sql.SparkSession;

/** One SparkSession ({@code local[2]}) for every test class of this JVM. */
final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = FinkSparkSession.getOrCreate("local[2]", "fink-tests");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }
}
