package org.fink.distribution.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.tools.ProducerPerformance;

/** Kafka's own producer benchmark ({@code ProducerPerformance}), to the same broker with the same settings. */
final class ProducerLimit {
  private static final Pattern STEADY =
      Pattern.compile("(\\d+) steady state records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\)");

  /**
   * Records per second and decimal MB per second of one run, after its warm-up records (the producer's and the
   * broker's JIT warm, as they are for a distribution that has been running for a while).
   */
  record Result(long records, double recordsPerSecond, double megabytesPerSecond) {}

  private ProducerLimit() {}

  /** Sends {@code warmup} records, then {@code records} more whose rate is the result. */
  static Result run(String servers, String topic, long records, long warmup, int recordSize,
      Map<String, String> settings, Path log) throws Exception {
    List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", String.valueOf(records + warmup),
        "--warmup-records", String.valueOf(warmup), "--record-size", String.valueOf(recordSize), "--throughput", "-1",
        "--producer-props", "bootstrap.servers=" + servers));
    settings.forEach((k, v) -> args.add(k + "=" + v));
    String output = ChildJvm.run(List.of("-Xmx1g"), ProducerPerformance.class, args, log, Duration.ofMinutes(10));
    Matcher last = null;
    for (String line : output.split("\n")) {
      Matcher m = STEADY.matcher(line);
      if (m.find()) {
        last = m;
      }
    }
    if (last == null) {
      throw new IllegalStateException("ProducerPerformance printed no steady-state summary; see " + log);
    }
    double perSecond = Double.parseDouble(last.group(2));
    return new Result(Long.parseLong(last.group(1)), perSecond, perSecond * recordSize / 1e6);
  }
}
