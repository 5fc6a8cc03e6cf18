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

      Read fast = read(broker, "fast");
      Read slow = read(broker, "slow");
      assertTrue(Math.abs(slow.rate() - QUOTA) <= 0.2 * QUOTA, "throttled rate " + slow + ", quota " + QUOTA);
      assertTrue(slow.throttleMillis() > 0, "the broker throttled the user with a quota: " + slow);
      // how fast the other user reads depends on the machine's load: what matters is that it is never throttled
      assertEquals(0.0, fast.throttleMillis(), "the broker never throttled the user without quota: " + fast);
      assertTrue(fast.rate() > slow.rate(), "unthrottled " + fast + ", throttled " + slow);

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

  /**
   * How a consumer read the whole topic: bytes per second from its first record to its last, and the longest time
   * the broker held one of its fetches back for a quota (the consumer's {@code fetch-throttle-time-max}).
   */
  private record Read(double rate, double throttleMillis) {
    @Override
    public String toString() {
      return String.format("%.0f B/s, throttled up to %.0f ms", rate, throttleMillis);
    }
  }

  private static Read read(EmbeddedKafkaBroker broker, String user) {
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
      double throttle = consumer.metrics().entrySet().stream()
          .filter(m -> m.getKey().group().equals("consumer-fetch-manager-metrics")
              && m.getKey().name().equals("fetch-throttle-time-max"))
          .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue())
          .filter(v -> !Double.isNaN(v)).max().orElse(0);
      assertEquals(RECORDS, records, user + " read every record");
      return new Read(bytes / ((last - first) / 1e9), throttle);
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
