package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.StartingOffset;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New records are new alerts: a running distribution publishes alerts as they land in the science database, a restart
 * from the checkpoint sends nothing twice, and {@code DISTRIBUTION_OFFSET=latest} skips what was there before.
 */
class IncrementalDistributionTest {
  private static final DistributionRules BRIGHT = new DistributionRules(List.of(new DistributionStream("bright", null,
      List.of(FieldPath.of("objectId"), FieldPath.of("candid"), FieldPath.of("candidate")), List.of(),
      List.of(new Comparison(FieldPath.of("candidate.magpsf"), Operator.LT, Literal.of(18.0))))));

  @TempDir Path work;
  final SparkSession spark = TestSpark.session();
  final SyntheticAlerts alerts = SyntheticAlerts.ztf(7);
  final String servers = EmbeddedKafkaBroker.shared().bootstrapServers();

  @Test
  void streamingPublishesNewAlertsOnceAndRestartSendsNothingTwice() throws Exception {
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    String topic = newTopic();
    long first = ingest(db, "batch1", 40);
    Distribution distribution = distribution(db, topic, "checkpoint", StartingOffset.parse("earliest"));
    try (RunningDistribution running = distribution.start()) {
      awaitCount(topic, first);
      long second = ingest(db, "batch2", 30);
      awaitCount(topic, first + second);
      running.stopGracefully(Duration.ofSeconds(30));
    }
    long published = messageCount(topic);
    distribution(db, topic, "checkpoint", StartingOffset.parse("earliest")).runOnce();
    assertEquals(published, messageCount(topic), "a restart from the checkpoint sends nothing twice");
  }

  @Test
  void latestStartsWithAlertsIngestedAfterTheFirstStart() throws Exception {
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    String topic = newTopic();
    ingest(db, "old", 30);
    distribution(db, topic, "checkpoint", StartingOffset.parse("latest")).runOnce();
    assertEquals(0, messageCount(topic), "alerts ingested before the first start are skipped");
    long fresh = ingest(db, "new", 30);
    assertTrue(fresh > 0);
    distribution(db, topic, "checkpoint", StartingOffset.parse("latest")).runOnce();
    assertEquals(fresh, messageCount(topic), "alerts ingested after the first start are published");
  }

  @Test
  void aTimestampStartsWithAlertsIngestedSinceThen() throws Exception {
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    String topic = newTopic();
    ingest(db, "before", 30);
    long since = System.currentTimeMillis() + 1;
    awaitClockPast(since);
    long after = ingest(db, "after", 30);
    assertTrue(after > 0);
    distribution(db, topic, "checkpoint", StartingOffset.parse(String.valueOf(since))).runOnce();
    assertEquals(after, messageCount(topic), "only alerts ingested since the timestamp are published");
  }

  /** Waits until the wall clock is past {@code millis}, so that ingest times after it are strictly later. */
  private static void awaitClockPast(long millis) throws InterruptedException {
    while (System.currentTimeMillis() <= millis) {
      Thread.sleep(1);
    }
  }

  private Distribution distribution(ScienceDb db, String topic, String checkpoint, StartingOffset offset) {
    return Distribution.builder().spark(spark).scienceDb(db).rules(BRIGHT).servers(servers)
        .checkpoint(work.resolve(checkpoint).toString()).defaultTopic(topic).triggerSeconds(0.5)
        .startingOffset(offset).build();
  }

  /** Writes and ingests {@code n} new alerts; returns how many of them pass the filter. */
  private long ingest(ScienceDb db, String folder, int n) throws IOException {
    List<Path> files = alerts.writeContainerFiles(work.resolve(folder), n, 1);
    new SurveyIngest(spark).ingest(work.resolve(folder), db);
    long bright = 0;
    for (Path file : files) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        for (GenericRecord alert : reader) {
          if ((Float) ((GenericRecord) alert.get("candidate")).get("magpsf") < 18f) {
            bright++;
          }
        }
      }
    }
    return bright;
  }

  private String newTopic() {
    String topic = "incremental-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    return topic;
  }

  private void awaitCount(String topic, long expected) {
    awaitCount(() -> messageCount(topic), expected, Duration.ofSeconds(90));
  }

  private static void awaitCount(LongSupplier count, long expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      last = count.getAsLong();
      if (last >= expected) {
        break;
      }
      try {
        Thread.sleep(100); // polling interval of a deadline loop, not a wait for an event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertEquals(expected, last, "messages in the topic");
  }

  /** The number of messages in a topic: the sum of its partitions' end offsets. */
  private long messageCount(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map((PartitionInfo p) -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      return end.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
