package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A local cluster of 3 brokers in TLS mode (SASL_SSL on the client, inter-broker and controller listeners, each broker
 * its own JVM), shared by the class: alerts produced with {@code acks=all} to a topic of replication factor 3 while one
 * broker is killed (SIGKILL) mid-way are all read back over TLS, none lost.
 */
class TlsReplicatedClusterTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final int COUNT = 600;
  private static Path dataDir;
  private static LocalKafkaCluster cluster;
  private static String servers;
  private static Properties login;

  @BeforeAll
  static void startCluster() throws IOException {
    LocalClusterStart started = null;
    for (int attempt = 1; started == null; attempt++) {
      dataDir = Files.createTempDirectory("fink-tls-cluster-");
      cluster = new LocalKafkaCluster(new LocalClusterSpec(LocalClusterSpec.freePort(3), dataDir, 3, true)
          .withTls(List.of()));
      try {
        started = cluster.start();
      } catch (KafkaAdminException e) {
        // another process on this shared machine took one of the free ports before a broker did: other ports
        cluster.stop();
        if (attempt == 3 || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
    assertEquals(List.of(1, 2, 3), started.startedBrokers());
    servers = started.bootstrapServers();
    login = cluster.superUserClientProperties();
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.stop();
    }
    if (dataDir != null) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void aBrokerKilledWhileAlertsArePublishedOverTlsLosesNone() throws Exception {
    assertTrue(cluster.isTls());
    assertEquals("SASL_SSL", login.getProperty("security.protocol"));
    String topic = "tls-durable-alerts";
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers, login)) {
      assertEquals(3, admin.brokers().size());
      assertTrue(admin.createTopic(TopicSpec.named(topic).withPartitions(3)));
      TopicDetails created = admin.describeTopic(topic);
      assertEquals(3, created.replicationFactor());
      assertEquals("2", created.configs().get("min.insync.replicas"));
    }

    AtomicInteger acknowledged = new AtomicInteger();
    CountDownLatch killed = new CountDownLatch(1);
    CompletableFuture<List<RecordMetadata>> producing = CompletableFuture.supplyAsync(() -> produce(topic,
        acknowledged, killed));
    await(() -> acknowledged.get() >= COUNT / 3 || producing.isDone(), "a third of the alerts acknowledged");
    assertFalse(producing.isDone(), "still producing when the broker is killed");
    BrokerStatus victim = cluster.status().get(1);
    ProcessHandle process = ProcessHandle.of(victim.pid()).orElseThrow();
    assertTrue(process.destroyForcibly(), "SIGKILL sent");
    process.onExit().get(30, TimeUnit.SECONDS);
    int atKill = acknowledged.get();
    killed.countDown();
    assertTrue(atKill < COUNT, "killed mid-way: " + atKill + " of " + COUNT + " acknowledged");

    List<RecordMetadata> sent = producing.get(120, TimeUnit.SECONDS);
    assertEquals(COUNT, sent.size(), "every alert acknowledged by the in-sync replicas");
    assertFalse(cluster.status().get(1).answering(), "broker 2 stays down");

    List<String> received = consume(topic);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < COUNT; i++) {
      expected.add("alert-" + i);
    }
    assertEquals(COUNT, received.size(), "no alert read twice");
    assertEquals(expected, new HashSet<>(received), "every acknowledged alert read back over TLS");
  }

  /**
   * Sends the alerts as a steady stream, counting acknowledgements; the second half once the broker is killed (the
   * first half may be in flight then); fails if one is not acknowledged.
   */
  private static List<RecordMetadata> produce(String topic, AtomicInteger acknowledged, CountDownLatch killed) {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        futures.add(producer.send(new ProducerRecord<>(topic, "ZTF" + i, "alert-" + i), (metadata, error) -> {
          if (error == null) {
            acknowledged.incrementAndGet();
          }
        }));
        if (i == COUNT / 2 && !killed.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no broker killed within 60 s");
        }
        if (i % 20 == 19) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a steady stream, not one burst
        }
      }
      producer.flush();
      List<RecordMetadata> sent = new ArrayList<>();
      for (Future<RecordMetadata> future : futures) {
        sent.add(future.get(90, TimeUnit.SECONDS));
      }
      return sent;
    } catch (Exception e) {
      throw new IllegalStateException("an alert was not acknowledged: " + e, e);
    }
  }

  private static List<String> consume(String topic) {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-durability-check");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + AWAIT.toNanos();
      while (values.size() < COUNT && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
      }
      // a moment more: nothing beyond COUNT may arrive (no duplicate)
      consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
    }
    return values;
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
