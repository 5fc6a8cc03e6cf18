package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Per-user quotas on a real broker in security mode: set, describe, list, remove; a consumer under a 1 MB/s quota
 * reads a few MB at that rate (within 20%) while a user without quota is not slowed.
 */
class ClientQuotasTest {
  private static final int RECORD = 10_000;
  private static final int RECORDS = 400;
  private static final double QUOTA = 1_000_000;

  @Test
  void aThrottledConsumerReadsAtItsQuotaWhileAnUnthrottledOneIsNotSlowed() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().superUser("fink-admin", "quota-test")
        // a rate is measured over at least (samples - 1) windows: 10 s by default, longer than this test's reads
        .property("quota.window.num", "3").property("quota.window.size.seconds", "1").build()
        .start(); FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers(),
            broker.superUserClientProperties())) {
      admin.createTopic("quota-alerts", 1, 1);
      for (String user : List.of("slow", "fast")) {
        admin.scramUsers().upsert(user, (user + "-pw").toCharArray());
        admin.acls().grant(ClientAccess.consumer(user, "*", "quota-alerts", user));
      }
      ClientQuotas quotas = admin.quotas();
      quotas.set("slow", Map.of(ClientQuotas.Limit.CONSUMER_BYTE_RATE, QUOTA));
      quotas.set(ClientQuotas.DEFAULT_USER, Map.of(ClientQuotas.Limit.REQUEST_PERCENTAGE, 200.0));
      assertEquals(Map.of(ClientQuotas.Limit.CONSUMER_BYTE_RATE, QUOTA), quotas.describe("slow").limits());
      assertEquals(List.of("*", "slow"), quotas.list().stream().map(ClientQuotas.UserQuota::user).toList());
      assertEquals("user slow: consumer_byte_rate 1000000 (bytes/s fetched)", quotas.describe("slow").describe());
      produce(broker);

      double fast = rate(broker, "fast");
      double slow = rate(broker, "slow");
      assertTrue(Math.abs(slow - QUOTA) <= 0.2 * QUOTA, "throttled rate " + slow + " B/s, quota " + QUOTA);
      assertTrue(fast > 2 * QUOTA, "unthrottled rate " + fast + " B/s");

      assertEquals(1, quotas.remove("slow").limits().size());
      assertEquals(Map.of(), quotas.describe("slow").limits());
      quotas.remove(ClientQuotas.DEFAULT_USER);
      await(() -> quotas.list().isEmpty(), "no quota left");
    }
  }

  private static void produce(EmbeddedKafkaBroker broker) throws Exception {
    Properties props = broker.superUserClientProperties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    byte[] value = new byte[RECORD];
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>("quota-alerts", value));
      }
      producer.flush();
    }
  }

  /** Bytes per second a consumer of {@code user} reads the whole topic at, from its first record to its last. */
  private static double rate(EmbeddedKafkaBroker broker, String user) {
    Properties props = SaslLogin.scramClientProperties(user, user + "-pw");
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, user + "-group");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(100_000));
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(100_000));
    long bytes = 0;
    int records = 0;
    long first = 0;
    long last = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("quota-alerts"));
      while (records < RECORDS && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (records == 0) {
            first = System.nanoTime();
          } else {
            bytes += record.serializedValueSize();
          }
          records++;
          last = System.nanoTime();
        }
      }
    }
    assertEquals(RECORDS, records, user + " read every record");
    return bytes / ((last - first) / 1e9);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
