package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.testkit.DownloadFolder;
import org.fink.kafka.admin.BrokerStatus;
import org.fink.kafka.admin.LocalClusterSpec;
import org.fink.kafka.admin.LocalKafkaCluster;

/**
 * Fault injection with real processes ({@code bench/faults}): each run distributes tens of thousands of alerts while
 * something breaks, then checks the topic holds every alert (0 lost) and counts duplicates (consumers drop them by the
 * {@value AlertHeaders#ALERT_ID} header).
 * <ol>
 *   <li>{@code kill -9} of the distribution mid-run, then a restart from its checkpoint;</li>
 *   <li>the (single) broker stopped and restarted mid-run;</li>
 *   <li>one broker of three killed ({@code kill -9}) mid-run, topic replicated 3 times, {@code acks=all};</li>
 *   <li>{@code kill -9} of the distribution in exactly-once mode, then a restart: 0 lost and 0 duplicates for
 *   read_committed consumers.</li>
 * </ol>
 */
public final class FaultInjection {
  private static final int FILES_PER_BATCH = 1;
  private static final int DOWNLOAD_KILLS = 4;

  private final Path work;
  private final int alerts;
  private final Map<String, Object> results = new LinkedHashMap<>();

  private final List<String> faults;

  private FaultInjection(Path work, int alerts, List<String> faults) {
    this.work = work;
    this.alerts = alerts;
    this.faults = faults;
  }

  /** Arguments: [alerts] [faults to run, comma-separated: kill,restart,three,exactly-once; default all]. */
  public static void main(String[] args) throws Exception {
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
    List<String> faults = List.of((args.length > 1 ? args[1] : "kill,restart,three,exactly-once,download").split(","));
    new FaultInjection(Files.createTempDirectory("fink-faults-"), alerts, faults).run();
  }

  private void run() throws Exception {
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-faults-data");
    BenchData.Db db = new BenchData(spark, work).scienceDbInFiles("db", alerts, 10);
    spark.stop();
    say(alerts + " alerts in " + db.path());
    if (faults.contains("kill")) {
      results.put("killDistribution", killDistribution(db, "at-least-once"));
    }
    if (faults.contains("restart")) {
      results.put("restartBroker", restartBroker(db));
    }
    if (faults.contains("three")) {
      results.put("killOneOfThreeBrokers", killOneOfThreeBrokers(db));
    }
    if (faults.contains("exactly-once")) {
      results.put("killDistributionExactlyOnce", killDistribution(db, "exactly-once"));
    }
    if (faults.contains("download")) {
      results.put("killDownload", killDownload(db));
    }
    BenchData.deleteRecursively(db.path());
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results);
    Files.writeString(Path.of(faults.size() == 5 ? "bench/results/faults.json"
        : "bench/results/faults-" + String.join("-", faults) + ".json"), json);
    System.out.println(json);
    boolean lost = results.values().stream().anyMatch(r -> ((Number) ((Map<?, ?>) r).get("lost")).longValue() > 0);
    boolean repeated = Stream.of("killDistributionExactlyOnce", "killDownload").filter(results::containsKey)
        .anyMatch(k -> ((Number) ((Map<?, ?>) results.get(k)).get("duplicates")).longValue() > 0);
    System.exit(lost || repeated ? 1 : 0);
  }

  /**
   * kill -9 the distribution once a third of the alerts are out; restart it; nothing may be missing (and, exactly
   * once, nothing repeated).
   */
  private Map<String, Object> killDistribution(BenchData.Db db, String delivery) throws Exception {
    say("kill -9 the distribution mid-run, restart it (" + delivery + ")");
    LocalKafkaCluster cluster = cluster("kill-distribution-" + delivery, 1);
    String servers = cluster.start().bootstrapServers();
    try {
      String topic = topic(servers, 1);
      Path checkpoint = work.resolve("checkpoint-kill-" + delivery);
      Process first = runner(db, checkpoint, servers, topic, "first-" + delivery, delivery);
      awaitCount(servers, topic, alerts / 3, first);
      first.destroyForcibly().waitFor();
      long before = count(servers, topic);
      Process second = runner(db, checkpoint, servers, topic, "second-" + delivery, delivery);
      if (!second.waitFor(30, TimeUnit.MINUTES) || second.exitValue() != 0) {
        throw new IllegalStateException("the restarted distribution failed; see " + work);
      }
      Map<String, Object> result = verify(servers, topic);
      result.put("publishedBeforeKill", before);
      result.put("alertsPerBatch", alerts / BenchData.parquetFiles(db.path()) * FILES_PER_BATCH);
      result.put("delivery", delivery);
      return result;
    } finally {
      cluster.stop();
    }
  }

  /**
   * The exactly-once download: the topic is published whole, then downloaded to Avro files by a process killed with
   * {@code kill -9} {@value #DOWNLOAD_KILLS} times mid-download and run to the end: the files must hold every alert of
   * the topic once (0 lost, 0 duplicated), and as many rows as the topic has distinct alerts.
   */
  private Map<String, Object> killDownload(BenchData.Db db) throws Exception {
    say("kill -9 the download " + DOWNLOAD_KILLS + " times, then let it finish");
    LocalKafkaCluster cluster = cluster("download", 1);
    String servers = cluster.start().bootstrapServers();
    try {
      String prefix = topic(servers, 1);
      Process publish = runner(db, work.resolve("checkpoint-download"), servers, prefix, "download-publish",
          "exactly-once");
      if (!publish.waitFor(30, TimeUnit.MINUTES) || publish.exitValue() != 0) {
        throw new IllegalStateException("the distribution before the download failed; see " + work);
      }
      Map<String, Object> topic = verify(servers, prefix);
      Path folder = work.resolve("download");
      int killedWhileRunning = 0;
      for (int kill = 0; kill < DOWNLOAD_KILLS; kill++) {
        long before = avroFiles(folder).size();
        Process download = downloader(servers, prefix + "0", folder, "download-" + kill);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        // kill once it has written some files: at a moment of its own, mid-file or between two
        while (download.isAlive() && avroFiles(folder).size() < before + 3 + kill
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        if (download.isAlive()) {
          killedWhileRunning++;
        }
        download.destroyForcibly().waitFor();
      }
      Process last = downloader(servers, prefix + "0", folder, "download-last");
      if (!last.waitFor(30, TimeUnit.MINUTES) || last.exitValue() != 0) {
        throw new IllegalStateException("the last download failed; see " + work);
      }
      Map<Object, Integer> rows = new HashMap<>();
      for (Path file : avroFiles(folder)) {
        try (DataFileReader<GenericRecord> reader =
            new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
          for (GenericRecord alert : reader) {
            rows.merge(String.valueOf(alert.get("candid")), 1, Integer::sum);
          }
        }
      }
      long total = rows.values().stream().mapToLong(Integer::longValue).sum();
      long inTopic = ((Number) topic.get("distinctInTopic")).longValue();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("alerts", alerts);
      result.put("distinctInTopic", inTopic);
      result.put("kills", DOWNLOAD_KILLS);
      result.put("killedWhileRunning", killedWhileRunning);
      result.put("files", avroFiles(folder).size());
      result.put("rows", total);
      result.put("lost", inTopic - rows.size());
      result.put("duplicates", total - rows.size());
      say("  " + result);
      return result;
    } finally {
      cluster.stop();
    }
  }

  private Process downloader(String servers, String topic, Path folder, String name) throws Exception {
    return ChildJvm.start(ChildJvm.SERVICE, DownloadRunner.class, List.of(servers, topic, folder.toString()),
        work.resolve(name + ".log"));
  }

  /** The finished files of a download (not its hidden temporary ones). */
  private static List<Path> avroFiles(Path folder) throws IOException {
    return DownloadFolder.finishedFiles(folder, ".avro");
  }

  /** Stop the only broker mid-run and start it again: the job waits, retries and finishes. */
  private Map<String, Object> restartBroker(BenchData.Db db) throws Exception {
    say("stop and restart the broker mid-run");
    LocalKafkaCluster cluster = cluster("restart-broker", 1);
    String servers = cluster.start().bootstrapServers();
    try {
      String topic = topic(servers, 1);
      Process job = runner(db, work.resolve("checkpoint-restart"), servers, topic, "restart", "at-least-once");
      awaitCount(servers, topic, alerts / 3, job);
      cluster.stop();
      Thread.sleep(5000); // the broker stays down for a while: part of the fault being injected
      cluster.start();
      if (!job.waitFor(30, TimeUnit.MINUTES) || job.exitValue() != 0) {
        throw new IllegalStateException("the distribution did not survive the broker restart; see " + work);
      }
      return verify(servers, topic);
    } finally {
      cluster.stop();
    }
  }

  /** kill -9 one of three brokers mid-run; replication 3, acks=all: nothing lost and the job goes on. */
  private Map<String, Object> killOneOfThreeBrokers(BenchData.Db db) throws Exception {
    say("kill -9 one broker of three mid-run");
    LocalKafkaCluster cluster = cluster("three-brokers", 3);
    String servers = cluster.start().bootstrapServers();
    try {
      String topic = topic(servers, 3);
      Process job = runner(db, work.resolve("checkpoint-three"), servers, topic, "three", "at-least-once");
      awaitCount(servers, topic, alerts / 3, job);
      BrokerStatus victim = cluster.status().get(1);
      ProcessHandle.of(victim.pid()).ifPresent(ProcessHandle::destroyForcibly);
      if (!job.waitFor(30, TimeUnit.MINUTES) || job.exitValue() != 0) {
        throw new IllegalStateException("the distribution stopped when a broker died; see " + work);
      }
      Map<String, Object> result = verify(servers, topic);
      result.put("killedBroker", victim.nodeId());
      return result;
    } finally {
      cluster.stop();
    }
  }

  private LocalKafkaCluster cluster(String name, int brokers) throws Exception {
    int port = 20000 + (int) (Math.random() * 20000);
    return new LocalKafkaCluster(new LocalClusterSpec(port, work.resolve("kafka-" + name), brokers));
  }

  private Process runner(BenchData.Db db, Path checkpoint, String servers, String topic, String name,
      String delivery) throws Exception {
    return ChildJvm.start(ChildJvm.SERVICE, DistributionRunner.class, List.of(db.path().toString(),
        checkpoint.toString(), servers, topic, String.valueOf(FILES_PER_BATCH), delivery),
        work.resolve(name + ".log"));
  }

  /** Creates the topic the runner publishes to (band 0 of a one-stream rules set: prefix + "0"). */
  private static String topic(String servers, int replication) throws Exception {
    String prefix = "faults-" + UUID.randomUUID() + "-";
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(prefix + "0", 4, (short) replication)
          .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replication)))))).all().get();
    }
    return prefix;
  }

  private void awaitCount(String servers, String prefix, long atLeast, Process job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (count(servers, prefix) >= atLeast) {
        return;
      }
      if (!job.isAlive()) {
        throw new IllegalStateException("the distribution ended before the fault; see " + work);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the distribution published fewer than " + atLeast + " alerts in time");
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-" + UUID.randomUUID());
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static long count(String servers, String prefix) {
    String topic = prefix + "0";
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(servers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue)
          .sum();
    } catch (RuntimeException brokerDown) {
      return -1;
    }
  }

  /** Reads the whole topic: how many distinct alerts, how many lost, how many duplicates. */
  private Map<String, Object> verify(String servers, String prefix) {
    String topic = prefix + "0";
    Map<String, Integer> seen = new HashMap<>();
    long messages = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(servers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Header id = record.headers().lastHeader(AlertHeaders.ALERT_ID);
          seen.merge(new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
          messages++;
        }
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("alerts", alerts);
    result.put("distinctInTopic", seen.size());
    result.put("lost", alerts - seen.size());
    result.put("duplicates", messages - seen.size());
    say("  " + result);
    return result;
  }

  private static void say(String text) {
    System.out.println("[faults] " + text);
    System.out.flush();
  }
}
