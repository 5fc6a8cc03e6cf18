package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.spark.FinkSparkSession;

/**
 * The benchmark suite ({@code bench/run}): Kafka's own producer limit, then the distribution on the same broker with
 * the same producer settings, measured side by side in one run; fan-out (10 streams vs 1); latency of a batch landing
 * in the science database; driver memory; JMH micro-benchmarks. Writes a Markdown table and JSON.
 *
 * <pre>
 * bench/run                       # default size, ~10 minutes on 2 cores
 * bench/run --alerts 100000       # the size of the memory target
 * </pre>
 */
public final class BenchmarkSuite {
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Path work;
  private final Path out;
  private final int alerts;
  private final int latencyAlerts;
  private final double trigger;
  private final boolean micro;
  private final int partitions;

  private BenchmarkSuite(Map<String, String> options) throws IOException {
    this.alerts = Integer.parseInt(options.getOrDefault("alerts", "20000"));
    this.latencyAlerts = Integer.parseInt(options.getOrDefault("latency-alerts", "10000"));
    this.trigger = Double.parseDouble(options.getOrDefault("trigger", "0.2"));
    this.partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
    this.micro = !options.containsKey("skip-micro");
    this.out = Path.of(options.getOrDefault("out", "bench/results"));
    this.work = Files.createTempDirectory("fink-bench-");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i].replaceFirst("^--", "");
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      options.put(key, flag ? "true" : args[++i]);
    }
    new BenchmarkSuite(options).run();
  }

  private void run() throws Exception {
    say("work folder " + work + "; " + alerts + " alerts, latency batch " + latencyAlerts);
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-data");
    BenchData data = new BenchData(spark, work);
    say("generating and ingesting the alerts");
    BenchData.Db db = data.scienceDb("db", alerts);
    BenchData.Db warm = data.scienceDb("warm", Math.min(2000, alerts));
    BenchData.Db latencyDb = data.scienceDb("latency-db", 500);
    BenchData.Db staged = data.scienceDb("latency-batch", latencyAlerts);
    spark.stop();
    results.put("machine", Machine.describe());
    results.put("alerts", alerts);
    results.put("meanAlertBytes", db.meanAlertBytes());
    results.put("producerSettings", ProducerSettings.tuned());

    int port = freePort();
    Process broker = ChildJvm.start(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"), BenchBroker.class,
        List.of(String.valueOf(port), work.resolve("kafka").toString()), work.resolve("broker.log"));
    try {
      String servers = awaitBroker(work.resolve("broker.log"));
      say("broker on " + servers);
      List<String> settings = new ArrayList<>();
      ProducerSettings.tuned().forEach((k, v) -> settings.add(k + "=" + v));

      createTopics(servers, "limit", "one-0", "warm-one-0", "once-0", "warm-once-0");
      for (int i = 0; i < 10; i++) {
        createTopics(servers, "ten-" + i, "warm-ten-" + i);
      }
      say("Kafka ProducerPerformance: " + alerts + " records of " + db.meanAlertBytes() + " bytes");
      ProducerLimit.Result limit = ProducerLimit.run(servers, "limit", alerts, (int) db.meanAlertBytes(),
          ProducerSettings.tuned(), work.resolve("producer-performance.log"));
      Map<String, Object> limitResult = new LinkedHashMap<>();
      limitResult.put("records", limit.records());
      limitResult.put("recordsPerSecond", limit.recordsPerSecond());
      limitResult.put("megabytesPerSecond", limit.megabytesPerSecond());
      results.put("limit", limitResult);

      say("distribution, 1 stream");
      Map<String, Object> one = probe(db, warm, servers, "one-", 1, settings, "at-least-once");
      say("distribution, 10 streams");
      Map<String, Object> ten = probe(db, warm, servers, "ten-", 10, settings, "at-least-once");
      say("distribution, 1 stream, exactly once");
      results.put("distributionExactlyOnce", probe(db, warm, servers, "once-", 1, settings, "exactly-once"));
      results.put("distribution1", one);
      results.put("distribution10", ten);
      double oneMbps = megabytesPerSecond(one);
      results.put("ratioToLimit", oneMbps / limit.megabytesPerSecond());
      results.put("fanOutTimeRatio", ((Number) ten.get("batchMillis")).doubleValue()
          / ((Number) one.get("batchMillis")).doubleValue());

      say("latency: " + latencyAlerts + " alerts landing at once, trigger " + trigger + " s");
      List<String> latencyArgs = new ArrayList<>(List.of(latencyDb.path().toString(), staged.path().toString(),
          work.resolve("checkpoint-latency").toString(), servers, String.valueOf(trigger),
          String.valueOf(latencyDb.alerts())));
      latencyArgs.addAll(settings);
      String output = ChildJvm.run(ChildJvm.SERVICE, LatencyProbe.class, latencyArgs,
          work.resolve("latency.log"), Duration.ofMinutes(15));
      results.put("latency", json(ChildJvm.resultLine(output, "RESULT ")));
    } finally {
      broker.getOutputStream().close();
      broker.waitFor();
    }
    if (micro) {
      say("JMH micro-benchmarks");
      results.put("micro", MicroBenchmarks.run(work));
    }
    write();
  }

  private Map<String, Object> probe(BenchData.Db db, BenchData.Db warm, String servers, String prefix, int streams,
      List<String> settings, String delivery) throws Exception {
    List<String> args = new ArrayList<>(List.of(db.path().toString(), work.resolve("checkpoint-" + prefix).toString(),
        servers, prefix, String.valueOf(streams), warm.path().toString()));
    args.addAll(settings);
    List<String> jvm = new ArrayList<>(ChildJvm.SERVICE);
    jvm.add("-Dfink.bench.delivery=" + delivery);
    String output = ChildJvm.run(jvm, DistributionProbe.class, args,
        work.resolve("distribution-" + prefix + streams + ".log"), Duration.ofMinutes(30));
    Map<String, Object> result = json(ChildJvm.resultLine(output, "RESULT "));
    result.put("megabytesPerSecond", megabytesPerSecond(result));
    result.put("alertsPerSecond", ((Number) result.get("alerts")).doubleValue() * 1000
        / ((Number) result.get("batchMillis")).doubleValue());
    return result;
  }

  private static double megabytesPerSecond(Map<String, Object> result) {
    return ((Number) result.get("bytes")).doubleValue() / 1e6
        / (((Number) result.get("batchMillis")).doubleValue() / 1000);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String text) throws IOException {
    return new ObjectMapper().readValue(text, LinkedHashMap.class);
  }

  private void createTopics(String servers, String... topics) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String topic : topics) {
        newTopics.add(new NewTopic(topic, partitions, (short) 1));
      }
      admin.createTopics(newTopics).all().get();
    }
  }

  private static String awaitBroker(Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("BROKER ")) {
            return line.substring("BROKER ".length()).strip();
          }
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the benchmark broker did not start; see " + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void write() throws IOException {
    Files.createDirectories(out);
    results.put("finished", Instant.now().toString());
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(out.resolve("latest.json"), mapper.writeValueAsString(results));
    String table = ResultTable.markdown(results);
    Files.writeString(out.resolve("latest.md"), table);
    System.out.println();
    System.out.println(table);
  }

  private static void say(String text) {
    System.out.println("[bench] " + text);
    System.out.flush();
  }
}
