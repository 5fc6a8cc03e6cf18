package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.RunningDistribution;
import org.fink.distribution.spark.ScienceDb;

/**
 * Latency in streaming mode: the distribution runs with a short trigger; a batch of alerts lands in the science
 * database at once (its Parquet files renamed into it); each alert's latency is its Kafka append time (topic with
 * {@code LogAppendTime}) minus the landing time. Prints {@code RESULT <json>}: p50, p99 and the time until the last
 * alert was readable.
 *
 * <p>Arguments: science-db (already holding warm-up alerts) staged-batch-db checkpoint servers trigger-seconds
 * warm-up-alerts [key=value producer settings...].
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path staged = Path.of(args[1]);
    String checkpoint = args[2];
    String servers = args[3];
    double trigger = Double.parseDouble(args[4]);
    long warmAlerts = Long.parseLong(args[5]);
    String topic = "latency-" + UUID.randomUUID();
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-latency");
    Distribution.Builder builder = Distribution.builder().spark(spark)
        .scienceDb(new ScienceDb(spark, db.toString(), "parquet")).rules(DistributionProbe.bands(topic, 1))
        .servers(servers).checkpoint(checkpoint).schemaTopic(null).triggerSeconds(trigger);
    for (int i = 6; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      builder.kafkaOption(kv[0], kv[1]);
    }
    // the probe's topic is the band-0 topic of a one-stream rules set
    String published = topic + "0";
    createLogAppendTimeTopic(servers, published);
    Distribution distribution = builder.build();
    RunningDistribution running = distribution.start();
    long warm = awaitMessages(servers, published, warmAlerts, Duration.ofMinutes(5));
    awaitIdle(running.query());

    List<Path> files = parquetFiles(staged);
    long landed = land(files, staged, db);
    long batch = countRows(spark, staged.toString(), files);
    long expected = warm + batch;
    awaitMessages(servers, published, expected, Duration.ofMinutes(10));
    running.stopGracefully(Duration.ofSeconds(60));

    List<Long> latencies = appendTimes(servers, published, warm);
    latencies.replaceAll(t -> t - landed);
    Collections.sort(latencies);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("alerts", latencies.size());
    result.put("p50Millis", percentile(latencies, 0.50));
    result.put("p99Millis", percentile(latencies, 0.99));
    result.put("lastMillis", latencies.get(latencies.size() - 1));
    result.put("triggerSeconds", trigger);
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    spark.stop();
  }

  private static long countRows(SparkSession spark, String staged, List<Path> files) {
    return files.size() == 0 ? 0 : spark.read().parquet(staged).count();
  }

  private static void createLogAppendTimeTopic(String servers, String topic) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      if (!admin.listTopics().names().get().contains(topic)) {
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1)
            .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
      }
    }
  }

  /** Parquet files of the staged batch, relative to its root (night=.../part-...). */
  private static List<Path> parquetFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
    }
  }

  /** Moves the staged files into the science database, each by an atomic rename; returns the landing time. */
  private static long land(List<Path> files, Path staged, Path db) throws IOException {
    for (Path file : files) {
      Path target = db.resolve(staged.relativize(file));
      Files.createDirectories(target.getParent());
      Path hidden = target.resolveSibling("." + target.getFileName() + ".landing");
      Files.copy(file, hidden, StandardCopyOption.REPLACE_EXISTING);
    }
    long landed = System.currentTimeMillis();
    for (Path file : files) {
      Path target = db.resolve(staged.relativize(file));
      Files.move(target.resolveSibling("." + target.getFileName() + ".landing"), target,
          StandardCopyOption.ATOMIC_MOVE);
    }
    return landed;
  }

  private static void awaitIdle(StreamingQuery query) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && (query.status().isTriggerActive() || query.status().isDataAvailable())) {
      Thread.sleep(50);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static long awaitMessages(String servers, String topic, long atLeast, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(servers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      while (System.nanoTime() < deadline) {
        long count = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        if (count >= atLeast) {
          return count;
        }
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("fewer than " + atLeast + " messages in " + topic + " after " + timeout);
  }

  /** Append times of the messages after the first {@code skip} (in time order); the messages are not kept. */
  private static List<Long> appendTimes(String servers, String topic, long skip) {
    List<Long> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(servers)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          all.add(record.timestamp());
        }
      }
    }
    Collections.sort(all);
    return new ArrayList<>(all.subList((int) Math.min(skip, all.size()), all.size()));
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
