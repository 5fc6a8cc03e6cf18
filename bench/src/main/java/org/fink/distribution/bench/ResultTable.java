package org.fink.distribution.bench;

import java.util.List;
import java.util.Map;

/** The benchmark results as a Markdown table, with the targets beside the figures. */
final class ResultTable {
  private ResultTable() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    Map<String, Object> limit = (Map<String, Object>) r.get("limit");
    Map<String, Object> one = (Map<String, Object>) r.get("distribution1");
    Map<String, Object> latency = (Map<String, Object>) r.get("latency");
    StringBuilder t = new StringBuilder();
    t.append(String.format("Benchmarks of %s (%s alerts of %s bytes on average, one local broker), %s%n%n",
        r.get("finished"), r.get("alerts"), r.get("meanAlertBytes"), machineLine(machine)));
    t.append("| measure | result | target |\n|---|---|---|\n");
    row(t, String.format("Kafka ProducerPerformance (the limit), after %s warm-up records", r.get("warmup")),
        String.format("%.1f MB/s, %.0f alerts/s%s", num(limit, "megabytesPerSecond"), num(limit, "recordsPerSecond"),
            rounds(limit)), "");
    row(t, String.format("distribution, 1 stream (inside the query), after a %s-alert warm-up run", r.get("warmup")),
        String.format("%.1f MB/s, %.0f alerts/s%s%s", num(one, "megabytesPerSecond"), num(one, "alertsPerSecond"),
            cpu(one), rounds(one)), "");
    Map<String, Object> exactlyOnce = (Map<String, Object>) r.get("distributionExactlyOnce");
    if (exactlyOnce != null) {
      row(t, "distribution, 1 stream, exactly once (transactions)", String.format("%.1f MB/s, %.0f alerts/s%s",
          num(exactlyOnce, "megabytesPerSecond"), num(exactlyOnce, "alertsPerSecond"), cpu(exactlyOnce)), "");
    }
    row(t, "distribution wall time, 1 stream (JVM and Spark start included)",
        String.format("%.1f s", num(one, "wallMillis") / 1000), "");
    for (String key : r.keySet()) {
      if (key.matches("distribution\\d+") && !key.equals("distribution1")) {
        Map<String, Object> fanOut = (Map<String, Object>) r.get(key);
        row(t, String.format("distribution, %s streams over disjoint magnitude bands (the same bytes)",
            key.substring("distribution".length())), String.format("%.1f s%s%s", num(fanOut, "batchMillis") / 1000,
            cpu(fanOut), rounds(fanOut)), "");
      }
    }
    for (String key : List.of("fileIngest", "kafkaIngest")) {
      if (r.get(key) instanceof Map<?, ?> ingest) {
        Map<String, Object> run = (Map<String, Object>) ingest;
        row(t, String.format("%s ingest of %s alerts, after a warm-up ingest (start to all stored)",
            key.equals("fileIngest") ? "file" : "Kafka", run.get("alerts")), String.format("%.0f alerts/s, %.1f s%s",
            num(run, "alertsPerSecond"), num(run, "millis") / 1000, cpu(run)), "");
      }
    }
    row(t, String.format("latency of a %s-alert batch: p50 / p99 / last readable", latency.get("alerts")),
        String.format("%.2f s / %.2f s / %.2f s", num(latency, "p50Millis") / 1000, num(latency, "p99Millis") / 1000,
            num(latency, "lastMillis") / 1000), "");
    row(t, String.format("driver peak RSS, %s alerts", r.get("alerts")),
        String.format("%.2f GB (the largest of every distribution run)", num(r, "peakRssBytes") / 1e9), "");
    if (r.get("memory") instanceof Map<?, ?> m) {
      Map<String, Object> memory = (Map<String, Object>) m;
      row(t, String.format("driver peak RSS, %s alerts, the service's producer settings", memory.get("alerts")),
          String.format("%.2f GB (%.0f alerts/s)", num(memory, "peakRssBytes") / 1e9, num(memory, "alertsPerSecond")),
          "");
    }
    // the headline figures with their targets; ratios are the median of the rounds' own ratios, with the spread
    for (BenchFigure figure : BenchFigure.values()) {
      figure.read(r).ifPresent(value -> row(t, "**" + figure.label() + "**", "**" + value + "**"
          + (figure.met(value.median()) ? "" : " (target not met)"), figure.target()));
    }
    Object micro = r.get("micro");
    if (micro instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> m = (Map<String, Object>) o;
        row(t, "micro: " + m.get("benchmark"), String.format("%.1f %s (± %.1f)", num(m, "score"), m.get("unit"),
            num(m, "error")), "");
      }
    }
    return t.toString();
  }

  /** {@code ; 5.4 CPU-s, broker 2.7 CPU-s} for a run that measured its CPU time. */
  private static String cpu(Map<String, Object> run) {
    if (!(run.get("cpuMillis") instanceof Number job) || !(run.get("brokerCpuMillis") instanceof Number broker)) {
      return "";
    }
    if (broker.longValue() < 0) { // a run without the broker (file ingest)
      return String.format("; %.1f CPU-s", job.doubleValue() / 1000);
    }
    return String.format("; %.1f CPU-s, broker %.1f CPU-s", job.doubleValue() / 1000, broker.doubleValue() / 1000);
  }

  /** {@code ; median of 3 rounds: 220, 234, 240 MB/s} when the figure is a median. */
  private static String rounds(Map<String, Object> figure) {
    Object rounds = figure.get("rounds");
    if (!(rounds instanceof List<?> list) || list.size() < 2) {
      return "";
    }
    return "; median of " + list.size() + " rounds: " + String.join(", ",
        list.stream().map(x -> String.format("%.0f", ((Number) x).doubleValue())).toList()) + " MB/s";
  }

  private static String machineLine(Map<String, Object> m) {
    return String.format("%s cores (%s), %s GiB, %s", m.get("cores"), m.get("cpu"), m.get("memoryGiB"), m.get("java"));
  }

  private static void row(StringBuilder t, String measure, String result, String target) {
    t.append("| ").append(measure).append(" | ").append(result).append(" | ").append(target).append(" |\n");
  }

  private static double num(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
