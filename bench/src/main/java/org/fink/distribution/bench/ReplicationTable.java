package org.fink.distribution.bench;

import java.util.List;
import java.util.Map;

/**
 * The results of {@code bench/replication} ({@link ReplicationBench}) as a Markdown table: each figure at rf=1 and
 * rf=3, then the ratios, each a median of the rounds with its spread.
 *
 * <pre>
 * String table = ReplicationTable.markdown(results);   // results: bench/results/replication.json, read back
 * </pre>
 */
final class ReplicationTable {
  private ReplicationTable() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    StringBuilder t = new StringBuilder();
    t.append(String.format("Replication, %s: %s alerts of %s bytes on average, %s brokers (%s), %s partitions per"
            + " topic, acks=all; rf=3 topics with min.insync.replicas=2; %s cores (%s); load average %s at the start,"
            + " %s after each round%n%n",
        r.get("finished"), r.get("alerts"), r.get("meanAlertBytes"), r.get("brokers"), r.get("brokerSource"),
        r.get("partitions"), machine.get("cores"), machine.get("cpu"), r.get("loadAverageAtStart"),
        r.get("loadAverageAfterEachRound")));
    t.append("| measure | rf=1 | rf=3 |\n|---|---|---|\n");
    pair(t, r, "limit", String.format("Kafka ProducerPerformance (the limit), MB/s, after %s warm-up records",
        r.get("warmup")), "megabytesPerSecond", 1);
    pair(t, r, "limit", "limit: the three brokers' CPU-s per GB sent (warm-up included)", "brokerCpuSecondsPerGB", 2);
    pair(t, r, "limit", "limit: Kafka's producer JVM, CPU-s (start and warm-up included)", "producerCpuSeconds", 1);
    pair(t, r, "distribution", "distribution, 1 stream, MB/s (inside the query)", "megabytesPerSecond", 1);
    pair(t, r, "distribution", "distribution, 1 stream, alerts/s", "alertsPerSecond", 0);
    pair(t, r, "distribution", "distribution: the job's CPU-s (the measured run)", "jobCpuSeconds", 1);
    pair(t, r, "distribution", "distribution: the three brokers' CPU-s (the measured run)", "brokerCpuSeconds", 1);
    pair(t, r, "distribution", "distribution: the three brokers' CPU-s per GB sent", "brokerCpuSecondsPerGB", 2);
    pair(t, r, "distribution", "distribution wall time, s (JVM and Spark start included)", "wallSeconds", 1);
    Map<String, Object> ratios = (Map<String, Object>) r.get("ratios");
    t.append("\n| ratio (median of the rounds' own ratios [spread]) | value |\n|---|---|\n");
    ratio(t, ratios, "limit: rf=3 / rf=1 (MB/s)", "limitRf3ToRf1");
    ratio(t, ratios, "distribution: rf=3 / rf=1 (MB/s)", "distributionRf3ToRf1");
    ratio(t, ratios, "distribution / limit at rf=1 (MB/s)", "distributionToLimitRf1");
    ratio(t, ratios, "**distribution / limit at rf=3 (MB/s)**", "distributionToLimitRf3");
    ratio(t, ratios, "distribution: the job's CPU-s, rf=3 / rf=1", "distributionJobCpuRf3ToRf1");
    ratio(t, ratios, "distribution: the brokers' CPU-s, rf=3 / rf=1", "distributionBrokerCpuRf3ToRf1");
    ratio(t, ratios, "limit: the producer JVM's CPU-s, rf=3 / rf=1", "limitProducerCpuRf3ToRf1");
    ratio(t, ratios, "limit: the brokers' CPU-s, rf=3 / rf=1", "limitBrokerCpuRf3ToRf1");
    return t.toString();
  }

  /** A row with the figure's median and spread at rf=1 and at rf=3. */
  @SuppressWarnings("unchecked")
  private static void pair(StringBuilder t, Map<String, Object> r, String side, String label, String figure,
      int decimals) {
    t.append("| ").append(label);
    for (int factor : List.of(1, 3)) {
      Map<String, Object> figures = (Map<String, Object>) r.get(side + "Rf" + factor);
      RoundRatios value = RoundRatios.fromJson(figures.get(figure));
      String format = "%." + decimals + "f";
      t.append(" | ").append(String.format(format, value.median()));
      if (value.rounds().size() > 1) {
        t.append(String.format(" [" + format + "-" + format + "]", value.min(), value.max()));
      }
    }
    t.append(" |\n");
  }

  private static void ratio(StringBuilder t, Map<String, Object> ratios, String label, String key) {
    t.append("| ").append(label).append(" | ").append(RoundRatios.fromJson(ratios.get(key))).append(" |\n");
  }
}
