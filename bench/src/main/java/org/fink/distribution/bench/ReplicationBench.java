package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.kafka.admin.BrokerStatus;
import org.fink.kafka.admin.LocalClusterSpec;
import org.fink.kafka.admin.LocalKafkaCluster;

/**
 * What Kafka replication costs ({@code bench/replication}): a local cluster of three brokers, as {@code fink_kafka
 * start} runs it with {@code KAFKA_LOCAL_BROKERS=3} ({@link LocalKafkaCluster}: one JVM per broker, KRaft), and in each
 * round Kafka's own producer limit ({@link ProducerLimit}) and the distribution (one stream, {@link DistributionProbe})
 * to topics of replication factor 1 and to topics of replication factor 3 with {@code min.insync.replicas=2}, all with
 * {@code acks=all} and the same producer settings as {@code bench/run} ({@link ProducerSettings}). The two replication
 * factors alternate in which goes first; each ratio is the median of the rounds' own ratios ({@link RoundRatios}).
 * Beside the rates: the CPU-seconds of the distribution's JVM and of the three brokers together during each measured
 * distribution run, and of the brokers and Kafka's producer JVM during each limit run (its warm-up included).
 *
 * <pre>
 * bench/replication                      # 20000 alerts, 5 rounds: bench/results/replication.md and .json
 * bench/replication --alerts 10000 --rounds 3
 * </pre>
 */
public final class ReplicationBench {
  private static final int BROKERS = 3;
  private static final List<Integer> FACTORS = List.of(1, 3);

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Path work;
  private final Path out;
  private final int alerts;
  private final int rounds;
  private final int partitions;
  private final Map<String, String> producer = new LinkedHashMap<>(ProducerSettings.tuned());

  private ReplicationBench(Map<String, String> options) throws IOException {
    this.alerts = Integer.parseInt(options.getOrDefault("alerts", "20000"));
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
    this.partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
    this.out = Path.of(options.getOrDefault("out", "bench/results"));
    this.work = Files.createTempDirectory("fink-replication-");
  }

  /** Options: {@code --alerts N} (20000), {@code --rounds R} (5), {@code --partitions P} (4), {@code --out DIR}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options are --alerts N, --rounds R, --partitions P, --out DIR; not "
            + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    new ReplicationBench(options).run();
  }

  private void run() throws Exception {
    say("work folder " + work + "; " + alerts + " alerts, " + rounds + " rounds, " + BROKERS + " brokers");
    results.put("machine", Machine.describe());
    results.put("loadAverageAtStart", loadAverage());
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-replication-data");
    BenchData data = new BenchData(spark, work);
    say("generating and ingesting the alerts");
    BenchData.Db db = data.scienceDb("db", alerts);
    BenchData.Db warm = data.scienceDb("warm", warmup());
    spark.stop();
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    results.put("alerts", alerts);
    results.put("meanAlertBytes", db.meanAlertBytes());
    results.put("warmup", warmup());
    results.put("brokers", BROKERS);
    results.put("partitions", partitions);
    results.put("producerSettings", producer);

    LocalKafkaCluster cluster =
        new LocalKafkaCluster(new LocalClusterSpec(LocalClusterSpec.freePort(BROKERS), work.resolve("kafka"), BROKERS));
    Map<Integer, List<Map<String, Object>>> limits = new LinkedHashMap<>();
    Map<Integer, List<Map<String, Object>>> distributions = new LinkedHashMap<>();
    List<String> loads = new ArrayList<>();
    try {
      String servers = cluster.start().bootstrapServers();
      results.put("brokerSource", cluster.brokerSource());
      List<Long> pids = cluster.status().stream().map(BrokerStatus::pid).toList();
      say("cluster on " + servers + " (broker pids " + pids + ")");
      deleteFilesAtOnce(servers);
      for (int factor : FACTORS) {
        limits.put(factor, new ArrayList<>());
        distributions.put(factor, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        // rf=1 first in even rounds, rf=3 first in odd ones: what a run leaves behind favours neither
        List<Integer> order = round % 2 == 0 ? FACTORS : List.of(FACTORS.get(1), FACTORS.get(0));
        for (int factor : order) {
          say("round " + (round + 1) + " of " + rounds + ", rf=" + factor + ": Kafka ProducerPerformance");
          limits.get(factor).add(limit(servers, pids, factor, round, (int) db.meanAlertBytes()));
          say("round " + (round + 1) + " of " + rounds + ", rf=" + factor + ": distribution, 1 stream");
          distributions.get(factor).add(distribution(db, warm, servers, pids, factor, round));
        }
        loads.add(loadAverage());
        say("load average " + loads.get(loads.size() - 1));
      }
    } finally {
      cluster.stop();
    }
    BenchData.deleteRecursively(work.resolve("db"));
    BenchData.deleteRecursively(work.resolve("warm"));
    BenchData.deleteRecursively(work.resolve("kafka"));
    summarise(limits, distributions);
    results.put("loadAverageAfterEachRound", loads);
    write();
    say("logs in " + work);
  }

  /** Kafka's ProducerPerformance to a fresh topic of {@code factor} replicas; with the CPU time it and the brokers used. */
  private Map<String, Object> limit(String servers, List<Long> brokers, int factor, int round, int recordSize)
      throws Exception {
    String topic = "limit-rf" + factor + "-r" + round;
    createTopics(servers, factor, topic);
    long brokersBefore = DistributionProbe.brokersCpu(brokers);
    long producerBefore = CpuTime.childrenMillis();
    ProducerLimit.Result limit = ProducerLimit.run(servers, topic, alerts, warmup(), recordSize, producer,
        work.resolve("producer-performance-rf" + factor + "-r" + round + ".log"));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("megabytesPerSecond", limit.megabytesPerSecond());
    result.put("recordsPerSecond", limit.recordsPerSecond());
    // the whole run, warm-up records and the producer JVM's start included
    result.put("bytesSent", (long) (alerts + warmup()) * recordSize);
    result.put("producerCpuMillis", CpuTime.childrenMillis() - producerBefore);
    result.put("brokerCpuMillis", DistributionProbe.brokersCpu(brokers) - brokersBefore);
    deleteTopics(servers, topic);
    return result;
  }

  /** One {@code distribution --once} (after its warm-up run) to a fresh topic of {@code factor} replicas. */
  private Map<String, Object> distribution(BenchData.Db db, BenchData.Db warm, String servers, List<Long> brokers,
      int factor, int round) throws Exception {
    String prefix = "rf" + factor + "-r" + round + "-";
    List<String> args = new ArrayList<>(List.of(db.path().toString(), work.resolve("checkpoint-" + prefix).toString(),
        servers, prefix, "1", warm.path().toString()));
    producer.forEach((k, v) -> args.add(k + "=" + v));
    String[] topics = {prefix + "0", "warm-" + prefix + "0"};
    createTopics(servers, factor, topics);
    List<String> jvm = new ArrayList<>(ChildJvm.SERVICE);
    jvm.add("-Dfink.bench.delivery=at-least-once");
    jvm.add("-Dfink.bench.broker.pid=" + brokers.stream().map(String::valueOf).collect(Collectors.joining(",")));
    String output = ChildJvm.run(jvm, DistributionProbe.class, args,
        work.resolve("distribution-" + prefix + ".log"), Duration.ofMinutes(30));
    deleteTopics(servers, topics);
    Map<String, Object> result = new ObjectMapper().readValue(ChildJvm.resultLine(output, "RESULT "),
        LinkedHashMap.class);
    double seconds = number(result, "batchMillis") / 1000;
    result.put("megabytesPerSecond", number(result, "bytes") / 1e6 / seconds);
    result.put("alertsPerSecond", number(result, "alerts") / seconds);
    return result;
  }

  /**
   * Medians with their spread: each figure of each replication factor, and each ratio taken per round (its two sides
   * measured minutes apart in that round).
   */
  private void summarise(Map<Integer, List<Map<String, Object>>> limits,
      Map<Integer, List<Map<String, Object>>> distributions) {
    Function<Map<String, Object>, Double> mbs = r -> number(r, "megabytesPerSecond");
    for (int factor : FACTORS) {
      Map<String, Object> limit = new LinkedHashMap<>();
      limit.put("megabytesPerSecond", figure(limits.get(factor), mbs));
      limit.put("recordsPerSecond", figure(limits.get(factor), r -> number(r, "recordsPerSecond")));
      limit.put("producerCpuSeconds", figure(limits.get(factor), r -> number(r, "producerCpuMillis") / 1000));
      limit.put("brokerCpuSeconds", figure(limits.get(factor), r -> number(r, "brokerCpuMillis") / 1000));
      limit.put("brokerCpuSecondsPerGB",
          figure(limits.get(factor), r -> number(r, "brokerCpuMillis") / number(r, "bytesSent") * 1e6));
      limit.put("runs", limits.get(factor));
      results.put("limitRf" + factor, limit);
      Map<String, Object> distribution = new LinkedHashMap<>();
      distribution.put("megabytesPerSecond", figure(distributions.get(factor), mbs));
      distribution.put("alertsPerSecond", figure(distributions.get(factor), r -> number(r, "alertsPerSecond")));
      distribution.put("jobCpuSeconds", figure(distributions.get(factor), r -> number(r, "cpuMillis") / 1000));
      distribution.put("brokerCpuSeconds",
          figure(distributions.get(factor), r -> number(r, "brokerCpuMillis") / 1000));
      distribution.put("brokerCpuSecondsPerGB",
          figure(distributions.get(factor), r -> number(r, "brokerCpuMillis") / number(r, "bytes") * 1e6));
      distribution.put("wallSeconds", figure(distributions.get(factor), r -> number(r, "wallMillis") / 1000));
      distribution.put("runs", distributions.get(factor));
      results.put("distributionRf" + factor, distribution);
    }
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("limitRf3ToRf1", ratio(limits.get(3), limits.get(1), mbs));
    ratios.put("distributionRf3ToRf1", ratio(distributions.get(3), distributions.get(1), mbs));
    ratios.put("distributionToLimitRf1", ratio(distributions.get(1), limits.get(1), mbs));
    ratios.put("distributionToLimitRf3", ratio(distributions.get(3), limits.get(3), mbs));
    ratios.put("distributionJobCpuRf3ToRf1",
        ratio(distributions.get(3), distributions.get(1), r -> number(r, "cpuMillis")));
    ratios.put("distributionBrokerCpuRf3ToRf1",
        ratio(distributions.get(3), distributions.get(1), r -> number(r, "brokerCpuMillis")));
    ratios.put("limitProducerCpuRf3ToRf1", ratio(limits.get(3), limits.get(1), r -> number(r, "producerCpuMillis")));
    ratios.put("limitBrokerCpuRf3ToRf1", ratio(limits.get(3), limits.get(1), r -> number(r, "brokerCpuMillis")));
    results.put("ratios", ratios);
  }

  private static Map<String, Object> figure(List<Map<String, Object>> runs, Function<Map<String, Object>, Double> of) {
    return RoundRatios.of(runs.stream().map(of).toList()).toMap();
  }

  private static Map<String, Object> ratio(List<Map<String, Object>> top, List<Map<String, Object>> bottom,
      Function<Map<String, Object>, Double> of) {
    List<Double> perRound = new ArrayList<>();
    for (int round = 0; round < top.size(); round++) {
      perRound.add(of.apply(top.get(round)) / of.apply(bottom.get(round)));
    }
    return RoundRatios.of(perRound).toMap();
  }

  private static double number(Map<String, Object> run, String key) {
    return ((Number) run.get(key)).doubleValue();
  }

  /** Topics of {@code factor} replicas, of which min(2, factor) must be in sync to take a write with acks=all. */
  private void createTopics(String servers, int factor, String... topics) throws Exception {
    try (Admin admin = admin(servers)) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String topic : topics) {
        newTopics.add(new NewTopic(topic, partitions, (short) factor)
            .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, factor)))));
      }
      admin.createTopics(newTopics).all().get();
    }
  }

  /**
   * Deletes the topics and waits until every broker removed their files (bench/README.md: a gigabyte of a previous
   * measurement's log in the page cache makes the next one pay for its reclaim).
   */
  private void deleteTopics(String servers, String... topics) throws Exception {
    try (Admin admin = admin(servers)) {
      admin.deleteTopics(List.of(topics)).all().get();
    }
    Path logs = work.resolve("kafka");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try (java.util.stream.Stream<Path> files = Files.walk(logs, 3)) {
        if (files.noneMatch(f -> f.getFileName().toString().endsWith("-delete")
            || List.of(topics).stream().anyMatch(t -> f.getFileName().toString().startsWith(t + "-")))) {
          return;
        }
      } catch (java.io.UncheckedIOException e) {
        // a folder went while we listed it: look again
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the brokers did not remove the deleted topics' files within 2 minutes: " + logs);
  }

  /**
   * The cluster's brokers remove a deleted topic's files at once, not a minute later during another measurement (the
   * cluster-wide default of {@code log.segment.delete.delay.ms}, a dynamic setting: {@code bench/run}'s broker has it
   * in its configuration).
   */
  private static void deleteFilesAtOnce(String servers) throws Exception {
    try (Admin admin = admin(servers)) {
      ConfigResource everyBroker = new ConfigResource(ConfigResource.Type.BROKER, "");
      admin.incrementalAlterConfigs(Map.of(everyBroker, List.of(new AlterConfigOp(
          new ConfigEntry("log.segment.delete.delay.ms", "0"), AlterConfigOp.OpType.SET)))).all().get();
    }
  }

  private static Admin admin(String servers) {
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    return Admin.create(props);
  }

  /** Warm-up records (Kafka's benchmark) and warm-up run size (the distribution), as in bench/run. */
  private int warmup() {
    return Math.min(alerts, Math.max(2000, alerts / 5));
  }

  /** The 1, 5 and 15-minute load averages ({@code /proc/loadavg}), or "unknown". */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private void write() throws IOException {
    results.put("finished", Instant.now().toString());
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String json = mapper.writeValueAsString(results);
    String table = ReplicationTable.markdown(results);
    Files.createDirectories(out);
    Files.writeString(out.resolve("replication.json"), json);
    Files.writeString(out.resolve("replication.md"), table);
    // every run kept apart too: figures are quoted when runs agree
    Path runs = out.resolve("replication-runs");
    Files.createDirectories(runs);
    String name = results.get("finished").toString().replace(':', '-');
    Files.writeString(runs.resolve(name + ".json"), json);
    Files.writeString(runs.resolve(name + ".md"), table);
    System.out.println();
    System.out.println(table);
  }

  private static void say(String text) {
    System.out.println("[replication] " + text);
    System.out.flush();
  }
}
