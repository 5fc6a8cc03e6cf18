package org.fink.distribution.bench;

import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The headline figures of a {@code bench/run} with their targets: one definition for the table of one run
 * ({@link ResultTable}) and for the agreement of several runs ({@link RunAgreement}).
 *
 * <pre>
 * Optional&lt;RoundRatios&gt; ratio = BenchFigure.DISTRIBUTION_TO_LIMIT.read(results);   // from latest.json
 * boolean met = ratio.map(r -&gt; BenchFigure.DISTRIBUTION_TO_LIMIT.met(r.median())).orElse(false);
 * </pre>
 */
enum BenchFigure {
  DISTRIBUTION_TO_LIMIT("distribution / limit (MB/s)", ">= 0.9", v -> v >= 0.9, "ratioToLimit"),
  EXACTLY_ONCE_TO_LIMIT("exactly once / limit (MB/s)", ">= 0.8", v -> v >= 0.8, "exactlyOnceToLimit"),
  FAN_OUT_10_CPU("10 streams / 1 stream (the job's CPU-s)", "<= 1.1", v -> v <= 1.1, "fanOut10CpuRatio",
      "fanOutCpuRatio"),
  FAN_OUT_10_TIME("10 streams / 1 stream (time)", "<= 1.2", v -> v <= 1.2, "fanOut10TimeRatio", "fanOutTimeRatio"),
  FAN_OUT_100_CPU("100 streams / 1 stream (the job's CPU-s)", "<= 2", v -> v <= 2, "fanOut100CpuRatio"),
  FAN_OUT_100_TIME("100 streams / 1 stream (time)", "<= 2", v -> v <= 2, "fanOut100TimeRatio"),
  FILE_INGEST_TO_DISTRIBUTION("file ingest / distribution (alerts/s)", ">= 0.5", v -> v >= 0.5,
      "fileIngestToDistribution"),
  KAFKA_INGEST_TO_DISTRIBUTION("Kafka ingest / distribution (alerts/s)", ">= 0.5", v -> v >= 0.5,
      "kafkaIngestToDistribution"),
  LATENCY_P99("batch landing -> readable, p99 (s; target at 10,000 alerts)", "<= 2", v -> v <= 2),
  PEAK_RSS("driver peak RSS at 100k alerts (GB; the service's producer settings)", "<= 1", v -> v <= 1);

  private final String label;
  private final String target;
  private final DoublePredicate met;
  private final String[] keys;

  BenchFigure(String label, String target, DoublePredicate met, String... keys) {
    this.label = label;
    this.target = target;
    this.met = met;
    this.keys = keys;
  }

  String label() {
    return label;
  }

  String target() {
    return target;
  }

  boolean met(double value) {
    return met.test(value);
  }

  /** The figure in one run's results (bench/results/*.json), if that run measured it. */
  @SuppressWarnings("unchecked")
  Optional<RoundRatios> read(Map<String, Object> results) {
    switch (this) {
      case LATENCY_P99 -> {
        return results.get("latency") instanceof Map<?, ?> latency
            && latency.get("p99Millis") instanceof Number p99
            ? Optional.of(RoundRatios.of(java.util.List.of(p99.doubleValue() / 1000))) : Optional.empty();
      }
      case PEAK_RSS -> {
        if (results.get("memory") instanceof Map<?, ?> memory && memory.get("peakRssBytes") instanceof Number rss) {
          return Optional.of(RoundRatios.of(java.util.List.of(rss.doubleValue() / 1e9)));
        }
        // runs before the memory run: the largest RSS of the 20,000-alert runs, with bench's producer settings
        return results.get("peakRssBytes") instanceof Number rss
            ? Optional.of(RoundRatios.of(java.util.List.of(rss.doubleValue() / 1e9))) : Optional.empty();
      }
      default -> {
        for (String key : keys) {
          if (results.get(key) != null) {
            return Optional.of(RoundRatios.fromJson(results.get(key)));
          }
        }
        return Optional.empty();
      }
    }
  }
}
