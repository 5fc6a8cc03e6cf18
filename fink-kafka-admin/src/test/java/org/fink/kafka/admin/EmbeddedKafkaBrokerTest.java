package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  @Test
  void sharedBrokerCarriesARecordFromProducerToConsumer() throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
    assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers())) {
      admin.createTopic("embedded-roundtrip", 1, 1);
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("embedded-roundtrip", "ZTF21abc", "alert-1")).get();
    }
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-roundtrip-test");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("embedded-roundtrip"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
    }
    assertEquals(1, received.size());
    assertEquals("ZTF21abc", received.get(0).key());
    assertEquals("alert-1", received.get(0).value());
  }

  @Test
  void sharedBrokerIsOnePerJvmAndIgnoresClose() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
    broker.close();
    assertTrue(broker.isRunning());
    assertEquals(broker, EmbeddedKafkaBroker.shared());
  }

  @Test
  void restartReusesFormattedStorageAndKeepsTopics(@TempDir Path dataDir) {
    String clusterId;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).controllerPort(0).dataDir(dataDir)
        .property("log.retention.hours", "1").build()) {
      broker.start();
      clusterId = broker.clusterId();
      try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers())) {
        assertTrue(admin.createTopic("kept", 1, 1));
      }
    }
    assertTrue(Files.isRegularFile(dataDir.resolve("meta.properties")));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build()) {
      broker.start();
      assertEquals(clusterId, broker.clusterId());
      try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers())) {
        assertEquals(List.of("kept"), admin.listTopics());
      }
    }
    assertTrue(Files.isDirectory(dataDir), "a data folder given by the caller is kept");
  }

  @Test
  void defaultsSuitOneSmallNode() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().property("num.partitions", "3").build();
    Properties props = broker.brokerProperties();
    Map<String, String> expected = Map.of(
        "offsets.topic.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "auto.create.topics.enable", "false",
        "group.initial.rebalance.delay.ms", "0",
        "log.cleaner.dedupe.buffer.size", "2097152",
        "num.partitions", "3");
    expected.forEach((key, value) -> assertEquals(value, props.getProperty(key), key));
    assertTrue(props.getProperty("listeners").contains("127.0.0.1:" + broker.port()));
    assertFalse(props.getProperty("listeners").contains("0.0.0.0"));
    broker.close();
  }
}
