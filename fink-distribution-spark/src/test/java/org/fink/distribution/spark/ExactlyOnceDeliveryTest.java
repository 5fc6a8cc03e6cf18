package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once delivery: a micro-batch that Spark sends again (its checkpoint commit lost, as in a crash between
 * publishing and committing) adds no message for read_committed consumers, while at least once sends it twice.
 */
class ExactlyOnceDeliveryTest {
  private static final DistributionRules ALL = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));

  @TempDir Path work;
  final SparkSession spark = TestSpark.session();
  final String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
  final String commitsTopic = "commits-" + UUID.randomUUID();

  @Test
  void aBatchSentAgainAfterACrashAddsNothing() throws Exception {
    ScienceDb db = scienceDb(3, 20);
    String topic = newTopic();
    DistributionProgress.Summary first = distribution(db, topic, DeliveryGuarantee.EXACTLY_ONCE).runOnce();
    assertEquals(60, first.messagesPublished());
    assertEquals(new Count(60, 60), committedMessages(topic), "every alert once");

    forgetLastCommit();
    DistributionProgress.Summary again = distribution(db, topic, DeliveryGuarantee.EXACTLY_ONCE).runOnce();
    assertEquals(60, again.alertsRead(), "Spark sent the whole batch again");
    assertEquals(0, again.messagesPublished(), "nothing of it was published again");
    assertEquals(new Count(60, 60), committedMessages(topic), "every alert still once: no duplicate, none lost");
  }

  @Test
  void atLeastOnceSendsTheBatchAgain() throws Exception {
    ScienceDb db = scienceDb(2, 15);
    String topic = newTopic();
    distribution(db, topic, DeliveryGuarantee.AT_LEAST_ONCE).runOnce();
    forgetLastCommit();
    distribution(db, topic, DeliveryGuarantee.AT_LEAST_ONCE).runOnce();
    assertEquals(new Count(60, 30), committedMessages(topic), "the replayed batch is published twice");
  }

  @Test
  void exactlyOnceNeedsAParquetScienceDatabase() {
    ScienceDb orc = new ScienceDb(spark, work.resolve("orc-db").toString(), "orc");
    DistributionException e = assertThrows(DistributionException.class,
        () -> distribution(orc, "unused", DeliveryGuarantee.EXACTLY_ONCE).runOnce());
    assertTrue(e.getMessage().contains("exactly-once needs a Parquet science database")
        && e.getMessage().contains("SCIENCE_DB_FORMAT is orc"), e.getMessage());
  }

  private record Count(long messages, long distinctAlerts) {}

  private ScienceDb scienceDb(int parts, int alertsPerPart) throws IOException {
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    SyntheticAlerts alerts = SyntheticAlerts.ztf(11);
    for (int part = 0; part < parts; part++) {
      Path folder = work.resolve("alerts-" + part);
      alerts.writeContainerFiles(folder, alertsPerPart, alertsPerPart);
      new SurveyIngest(spark).ingest(folder, db);
    }
    return db;
  }

  private Distribution distribution(ScienceDb db, String topic, DeliveryGuarantee delivery) {
    return Distribution.builder().spark(spark).scienceDb(db).rules(ALL).servers(servers)
        .checkpoint(work.resolve("checkpoint").toString()).defaultTopic(topic).schemaTopic(null)
        .commitsTopic(commitsTopic).delivery(delivery).build();
  }

  /** Removes the checkpoint's record that the last batch was committed: the next run sends that batch again. */
  private void forgetLastCommit() throws IOException {
    Path commits = work.resolve("checkpoint").resolve("commits");
    try (Stream<Path> files = Files.list(commits)) {
      long last = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong).max().orElseThrow();
      Files.delete(commits.resolve(String.valueOf(last)));
      Files.deleteIfExists(commits.resolve("." + last + ".crc"));
    }
  }

  private String newTopic() {
    String topic = "exactly-once-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    return topic;
  }

  /** Reads the whole topic as a read_committed consumer: messages, and distinct alert ids among them. */
  private Count committedMessages(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    long messages = 0;
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertTrue(System.nanoTime() < deadline, "the topic was not read within 60 s");
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          messages++;
          Header id = record.headers().lastHeader(AlertHeaders.ALERT_ID);
          ids.add(new String(id.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return new Count(messages, ids.size());
  }
}
