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
 * the same producer settings, measured side by side in one run; fan-out (10 and 100 streams vs 1); latency of a batch landing
 * in the science database; driver memory; JMH micro-benchmarks. Writes a Markdown table and JSON.
 *
 * <pre>
 * bench/run                       # default size, ~10 minutes on 2 cores
 * bench/run --memory-alerts 0     # without the memory run (100,000 alerts: the size of the memory target)
 * </pre>
 */
public final class BenchmarkSuite {
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Path work;
  private final Path out;
  private final int alerts;
  private final int latencyAlerts;
  /** Alerts of the file and Kafka ingest measurement (once per run, after the rounds). */
  private final int ingestAlerts;
  /** Alerts of the memory measurement: one distribution run with the service's defaults (0: none). */
  private final int memoryAlerts;
  private final double trigger;
  private final boolean micro;
  private final int partitions;
  private final int rounds;
  /** The numbers of streams measured in each round; always 1 (the reference of the fan-out ratios). */
  private final List<Integer> fanOut;
  /** Producer settings of both Kafka's benchmark and the distribution: {@link ProducerSettings}, then --producer. */
  private final Map<String, String> producer = new LinkedHashMap<>(ProducerSettings.tuned());
  /** The broker's process, whose CPU time each distribution run reports. */
  private long brokerPid = -1;

  private BenchmarkSuite(Map<String, String> options) throws IOException {
    this.alerts = Integer.parseInt(options.getOrDefault("alerts", "20000"));
    this.latencyAlerts = Integer.parseInt(options.getOrDefault("latency-alerts", "10000"));
    this.ingestAlerts = Integer.parseInt(options.getOrDefault("ingest-alerts", "10000"));
    this.memoryAlerts = Integer.parseInt(options.getOrDefault("memory-alerts", "100000"));
    this.trigger = Double.parseDouble(options.getOrDefault("trigger", "0.2"));
    this.partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
    this.fanOut = new ArrayList<>(List.of(1));
    for (String streams : options.getOrDefault("fan-out", "10,100").split(",")) {
      if (!streams.isBlank() && Integer.parseInt(streams.strip()) > 1) {
        fanOut.add(Integer.parseInt(streams.strip()));
      }
    }
    this.micro = !options.containsKey("skip-micro");
    for (String setting : options.getOrDefault("producer", "").split(",")) {
      if (!setting.isBlank()) {
        String[] kv = setting.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("--producer takes key=value[,key=value...], not " + setting);
        }
        producer.put(kv[0].trim(), kv[1].trim());
      }
    }
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

  @SuppressWarnings("unchecked")
  private void run() throws Exception {
    say("work folder " + work + "; " + alerts + " alerts, latency batch " + latencyAlerts);
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-data");
    BenchData data = new BenchData(spark, work);
    say("generating and ingesting the alerts");
    BenchData.Db db = data.scienceDb("db", alerts);
    // the warm-up run makes the distribution's JIT as warm as Kafka's benchmark after its own warm-up records
    BenchData.Db warm = data.scienceDb("warm", warmup());
    BenchData.Db latencyDb = data.scienceDb("latency-db", 500);
    BenchData.Db staged = data.scienceDb("latency-batch", latencyAlerts);
    Path ingestFiles = data.alertFiles("ingest-alerts", ingestAlerts);
    Path ingestWarm = data.alertFiles("ingest-warm-alerts", Math.min(2000, ingestAlerts));
    spark.stop();
    syncDisks();
    results.put("machine", Machine.describe());
    results.put("alerts", alerts);
    results.put("meanAlertBytes", db.meanAlertBytes());
    results.put("warmup", warmup());
    results.put("producerSettings", producer);

    int port = freePort();
    Process broker = ChildJvm.start(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"), BenchBroker.class,
        List.of(String.valueOf(port), work.resolve("kafka").toString()), work.resolve("broker.log"));
    try {
      brokerPid = broker.pid();
      String servers = awaitBroker(work.resolve("broker.log"));
      say("broker on " + servers);
      List<String> settings = new ArrayList<>();
      producer.forEach((k, v) -> settings.add(k + "=" + v));

      // rounds of (limit, 1 stream, 10 streams, 100 streams), each figure the median of its rounds: one run of each
      // swings by +-20% on a 2-core machine shared with the broker
      List<ProducerLimit.Result> limits = new ArrayList<>();
      Map<Integer, List<Map<String, Object>>> byStreams = new LinkedHashMap<>();
      for (int streams : fanOut) {
        byStreams.put(streams, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        say("round " + (round + 1) + " of " + rounds + ": Kafka ProducerPerformance, " + alerts + " records of "
            + db.meanAlertBytes() + " bytes after " + warmup() + " warm-up records");
        String limitTopic = "limit-" + round;
        createTopics(servers, limitTopic);
        limits.add(ProducerLimit.run(servers, limitTopic, alerts, warmup(), (int) db.meanAlertBytes(),
            producer, work.resolve("producer-performance-" + round + ".log")));
        deleteTopics(servers, limitTopic);
        // each round starts the fan-outs one further along: what a run leaves behind (freed page cache, the
        // broker's JIT) does not always favour the same one
        for (int i = 0; i < fanOut.size(); i++) {
          int streams = fanOut.get((i + round) % fanOut.size());
          say("round " + (round + 1) + ": distribution, " + (streams == 1 ? "1 stream" : streams + " streams"));
          byStreams.get(streams).add(probe(db, warm, servers, "s" + streams + "-r" + round + "-", streams, settings,
              "at-least-once"));
        }
      }
      say("distribution, 1 stream, exactly once");
      results.put("distributionExactlyOnce", probe(db, warm, servers, "once-", 1, settings, "exactly-once"));

      ProducerLimit.Result limit = limits.stream()
          .sorted(java.util.Comparator.comparingDouble(ProducerLimit.Result::megabytesPerSecond)).toList()
          .get(limits.size() / 2);
      Map<String, Object> limitResult = new LinkedHashMap<>();
      limitResult.put("records", limit.records());
      limitResult.put("recordsPerSecond", limit.recordsPerSecond());
      limitResult.put("megabytesPerSecond", limit.megabytesPerSecond());
      limitResult.put("rounds", limits.stream().map(ProducerLimit.Result::megabytesPerSecond).toList());
      results.put("limit", limitResult);
      results.put("rounds", rounds);
      List<Map<String, Object>> ones = byStreams.get(1);
      Map<String, Object> one = median(ones);
      results.put("distribution1", one);
      // every ratio is the median of the rounds' own ratios (the pair measured side by side in one round), with
      // their spread: a ratio of two medians would pair runs that ran minutes apart
      List<Double> toLimit = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        toLimit.add(megabytesPerSecond(ones.get(round)) / limits.get(round).megabytesPerSecond());
      }
      results.put("ratioToLimit", RoundRatios.of(toLimit).toMap());
      Map<String, Object> exactlyOnce = (Map<String, Object>) results.get("distributionExactlyOnce");
      results.put("exactlyOnceToLimit", megabytesPerSecond(exactlyOnce) / limit.megabytesPerSecond());
      for (int streams : fanOut) {
        if (streams == 1) {
          continue;
        }
        List<Map<String, Object>> runs = byStreams.get(streams);
        results.put("distribution" + streams, median(runs));
        List<Double> time = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          time.add(number(runs.get(round), "batchMillis") / number(ones.get(round), "batchMillis"));
          // the distribution's own CPU time: the broker's share of a run varies with the machine (bench/README.md,
          // Noise on this machine)
          cpu.add(number(runs.get(round), "cpuMillis") / number(ones.get(round), "cpuMillis"));
        }
        results.put("fanOut" + streams + "TimeRatio", RoundRatios.of(time).toMap());
        results.put("fanOut" + streams + "CpuRatio", RoundRatios.of(cpu).toMap());
      }
      List<Map<String, Object>> all = new ArrayList<>();
      byStreams.values().forEach(all::addAll);
      all.add(exactlyOnce);
      results.put("peakRssBytes", all.stream().mapToLong(r -> ((Number) r.get("peakRssBytes")).longValue()).max()
          .orElseThrow());

      // ingest beside the distribution's alerts/s: the chain is as fast as its slowest link
      say("ingest: file, then Kafka, " + ingestAlerts + " alerts each");
      IngestBench ingest = new IngestBench(work, servers, brokerPid, partitions);
      Map<String, Object> fileIngest = ingest.file(ingestFiles, ingestWarm);
      Map<String, Object> kafkaIngest = ingest.kafka(ingestFiles, ingestWarm);
      results.put("fileIngest", fileIngest);
      results.put("kafkaIngest", kafkaIngest);
      results.put("fileIngestToDistribution", RoundRatios.of(List.of(number(fileIngest, "alertsPerSecond")
          / number(one, "alertsPerSecond"))).toMap());
      results.put("kafkaIngestToDistribution", RoundRatios.of(List.of(number(kafkaIngest, "alertsPerSecond")
          / number(one, "alertsPerSecond"))).toMap());

      say("latency: " + latencyAlerts + " alerts landing at once, trigger " + trigger + " s");
      List<String> latencyArgs = new ArrayList<>(List.of(latencyDb.path().toString(), staged.path().toString(),
          work.resolve("checkpoint-latency").toString(), servers, String.valueOf(trigger),
          String.valueOf(latencyDb.alerts())));
      latencyArgs.addAll(settings);
      String output = ChildJvm.run(ChildJvm.SERVICE, LatencyProbe.class, latencyArgs,
          work.resolve("latency.log"), Duration.ofMinutes(15));
      results.put("latency", json(ChildJvm.resultLine(output, "RESULT ")));

      if (memoryAlerts > 0) {
        // the memory target is the service's: its own producer settings (bench's tuned ones give the producer four
        // times the buffer), over a database of memoryAlerts alerts (the measured one's files, copied)
        int copies = (memoryAlerts + alerts - 1) / alerts;
        say("memory: distribution of " + copies * alerts + " alerts with the service's defaults");
        BenchData.Db large = data.copies(db, "memory-db", copies);
        Map<String, Object> memory = probe(large, warm, servers, "memory-", 1, List.of(), "at-least-once");
        BenchData.deleteRecursively(large.path());
        results.put("memory", memory);
      }
    } finally {
      broker.getOutputStream().close();
      broker.waitFor();
    }
    for (String folder : List.of("db", "warm", "latency-db", "latency-batch", "ingest-alerts", "ingest-warm-alerts",
        "kafka")) {
      BenchData.deleteRecursively(work.resolve(folder));
    }
    if (micro) {
      say("JMH micro-benchmarks");
      results.put("micro", MicroBenchmarks.run(work));
    }
    write();
    say("logs in " + work);
  }

  private Map<String, Object> probe(BenchData.Db db, BenchData.Db warm, String servers, String prefix, int streams,
      List<String> settings, String delivery) throws Exception {
    List<String> args = new ArrayList<>(List.of(db.path().toString(), work.resolve("checkpoint-" + prefix).toString(),
        servers, prefix, String.valueOf(streams), warm.path().toString()));
    args.addAll(settings);
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      topics.add(prefix + i);
      topics.add("warm-" + prefix + i);
    }
    createTopics(servers, topics.toArray(String[]::new));
    List<String> jvm = new ArrayList<>(ChildJvm.SERVICE);
    jvm.add("-Dfink.bench.delivery=" + delivery);
    jvm.add("-Dfink.bench.broker.pid=" + brokerPid);
    // for profiling the distribution's runs, e.g. FINK_BENCH_PROBE_JVM_OPTS='-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile'
    // (an existing folder: one recording per run, named by pid and time)
    String extra = System.getenv("FINK_BENCH_PROBE_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.strip().split("\\s+")));
    }
    String output = ChildJvm.run(jvm, DistributionProbe.class, args,
        work.resolve("distribution-" + prefix + streams + ".log"), Duration.ofMinutes(30));
    deleteTopics(servers, topics.toArray(String[]::new));
    Map<String, Object> result = json(ChildJvm.resultLine(output, "RESULT "));
    result.put("megabytesPerSecond", megabytesPerSecond(result));
    result.put("alertsPerSecond", ((Number) result.get("alerts")).doubleValue() * 1000
        / ((Number) result.get("batchMillis")).doubleValue());
    return result;
  }

  /**
   * Writes the generated science databases (gigabytes of dirty pages) to disk now, so that the kernel's writeback does
   * not compete with the first round's measurements. Where there is no {@code sync} command, nothing happens.
   */
  private static void syncDisks() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (IOException e) {
      say("no sync command (" + e.getMessage() + "): the first round may pay for writing the generated data");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double number(Map<String, Object> run, String figure) {
    return ((Number) run.get(figure)).doubleValue();
  }

  /** The run of median duration (its other figures with it), with every round's MB/s. */
  private static Map<String, Object> median(List<Map<String, Object>> runs) {
    List<Map<String, Object>> sorted = runs.stream()
        .sorted(java.util.Comparator.comparingDouble(r -> ((Number) r.get("batchMillis")).doubleValue())).toList();
    Map<String, Object> median = new LinkedHashMap<>(sorted.get(sorted.size() / 2));
    median.put("rounds", runs.stream().map(BenchmarkSuite::megabytesPerSecond).toList());
    return median;
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

  /** Warm-up alerts (Kafka's benchmark) and warm-up run size (the distribution): a fifth of the alerts, 2000 at least. */
  private int warmup() {
    return Math.min(alerts, Math.max(2000, alerts / 5));
  }

  /**
   * Deletes what a measurement wrote, so that the next one does not start with gigabytes of the previous one's log in
   * the page cache (on a machine whose memory is full of cache, every page the broker writes costs a reclaim), and
   * waits until the broker removed the files: freeing a gigabyte of cached pages takes CPU, which would otherwise be
   * taken from the next measurement.
   */
  private void deleteTopics(String servers, String... topics) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      admin.deleteTopics(List.of(topics)).all().get();
    }
    Path logs = work.resolve("kafka");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try (java.util.stream.Stream<Path> files = Files.walk(logs, 3)) {
        if (files.noneMatch(f -> f.getFileName().toString().endsWith("-delete"))) {
          return;
        }
      } catch (java.io.UncheckedIOException e) {
        // a folder went while we listed it: look again
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the broker did not remove the deleted topics' files within 2 minutes: " + logs);
  }

  static String awaitBroker(Path log) throws Exception {
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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void write() throws IOException {
    Files.createDirectories(out);
    results.put("finished", Instant.now().toString());
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(out.resolve("latest.json"), mapper.writeValueAsString(results));
    // every run kept apart too: a figure counts when three separate runs agree on it (bench/agree)
    Files.createDirectories(out.resolve("runs"));
    Files.writeString(out.resolve("runs").resolve(results.get("finished").toString().replace(':', '-') + ".json"),
        mapper.writeValueAsString(results));
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
