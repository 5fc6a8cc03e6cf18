package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.DistributionProgress;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.ScienceDb;

/**
 * One {@code distribution --once} in a fresh JVM, as the service runs it: prints {@code RESULT <json>} with the
 * distribution's own figures (alerts, bytes, time inside the micro-batches), the wall time and the peak RSS.
 *
 * <p>Arguments: science-db checkpoint servers topic-prefix streams warm-up-db [key=value producer settings...]; with
 * {@code -Dfink.bench.broker.pid} (a pid, or several comma-separated) it also reports the broker's CPU time during
 * the measured run (of all of them together). With one stream
 * every alert goes to {@code <prefix>0}; with N streams, stream i takes the alerts of the i-th band of magnitude
 * (disjoint bands covering everything), so N streams publish the same bytes as one.
 */
public final class DistributionProbe {
  static final double BRIGHTEST = 14.0;
  static final double FAINTEST = 21.0;

  private DistributionProbe() {}

  public static void main(String[] args) throws Exception {
    String db = args[0];
    String checkpoint = args[1];
    String servers = args[2];
    String prefix = args[3];
    int streams = Integer.parseInt(args[4]);
    String warmDb = args[5];
    long start = System.nanoTime();
    SparkSession spark = FinkSparkSession.getOrCreate(System.getProperty("fink.bench.master", "local[2]"), "fink-bench");
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 6; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      settings.put(kv[0], kv[1]);
    }
    distribution(spark, warmDb, checkpoint + "-warm", servers, "warm-" + prefix, streams, settings).runOnce();
    // one broker's pid, or several, comma-separated (a cluster: their CPU time summed)
    List<Long> brokers = new ArrayList<>();
    for (String pid : System.getProperty("fink.bench.broker.pid", "-1").split(",")) {
      brokers.add(Long.parseLong(pid.strip()));
    }
    long ready = System.nanoTime();
    long cpuBefore = CpuTime.selfMillis();
    long brokerBefore = brokersCpu(brokers);
    DistributionProgress.Summary summary =
        distribution(spark, db, checkpoint, servers, prefix, streams, settings).runOnce();
    long done = System.nanoTime();
    long cpu = CpuTime.selfMillis() - cpuBefore;
    long brokerCpu = brokerBefore < 0 ? -1 : brokersCpu(brokers) - brokerBefore;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("alerts", summary.alertsRead());
    result.put("messages", summary.messagesPublished());
    result.put("bytes", summary.bytes());
    result.put("batchMillis", summary.batchMillis());
    result.put("batches", summary.batches());
    result.put("runOnceMillis", (done - ready) / 1_000_000);
    result.put("wallMillis", (done - start) / 1_000_000);
    result.put("cpuMillis", cpu);
    result.put("brokerCpuMillis", brokerCpu);
    result.put("peakRssBytes", Rss.peakBytes());
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    spark.stop();
  }

  /** The CPU time of these processes together, or -1 if one cannot be read. */
  static long brokersCpu(List<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      long cpu = CpuTime.ofMillis(pid);
      if (cpu < 0) {
        return -1;
      }
      sum += cpu;
    }
    return sum;
  }

  private static Distribution distribution(SparkSession spark, String db, String checkpoint, String servers,
      String prefix, int streams, Map<String, String> settings) {
    Distribution.Builder builder = Distribution.builder().spark(spark)
        .scienceDb(new ScienceDb(spark, db, "parquet")).rules(bands(prefix, streams)).servers(servers)
        .checkpoint(checkpoint).schemaTopic(null)
        // the limit (Kafka's ProducerPerformance) sends records of the alerts' size without a key: compare with the
        // framing whose key is the object id; the Fink framing's schema key is measured apart (CompressionBenchmark)
        .format(MessageFormat.parse(System.getProperty("fink.bench.format", "avro-single-object")))
        .delivery(DeliveryGuarantee.parse(System.getProperty("fink.bench.delivery", "at-least-once")));
    settings.forEach(builder::kafkaOption);
    return builder.build();
  }

  /** N streams over disjoint magnitude bands that together hold every alert. */
  static DistributionRules bands(String prefix, int n) {
    List<DistributionStream> streams = new ArrayList<>();
    FieldPath magpsf = FieldPath.of("candidate.magpsf");
    double step = (FAINTEST - BRIGHTEST) / n;
    for (int i = 0; i < n; i++) {
      List<Condition> filter = new ArrayList<>();
      if (i > 0) {
        filter.add(new Comparison(magpsf, Operator.GE, Literal.of(BRIGHTEST + i * step)));
      }
      if (i < n - 1) {
        filter.add(new Comparison(magpsf, Operator.LT, Literal.of(BRIGHTEST + (i + 1) * step)));
      }
      streams.add(new DistributionStream("band" + i, prefix + i, List.of(), List.of(), filter));
    }
    return new DistributionRules(streams);
  }
}
