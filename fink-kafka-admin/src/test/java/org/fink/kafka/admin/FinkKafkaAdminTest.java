package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FinkKafkaAdminTest {
  private static FinkKafkaAdmin admin;

  @BeforeAll
  static void connect() {
    admin = FinkKafkaAdmin.connect(EmbeddedKafkaBroker.shared().bootstrapServers());
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  @Test
  void createsATopicOnceThenReportsItExists() {
    assertTrue(admin.createTopic("admin-create", 2, 1));
    assertFalse(admin.createTopic("admin-create", 2, 1));
    assertTrue(admin.listTopics().contains("admin-create"));
  }

  @Test
  void listsTopicsSortedWithoutInternalOnes() {
    admin.createTopic("admin-list-b", 1, 1);
    admin.createTopic("admin-list-a", 1, 1);
    List<String> topics = admin.listTopics();
    assertEquals(topics.stream().sorted().toList(), topics);
    assertTrue(topics.indexOf("admin-list-a") < topics.indexOf("admin-list-b"));
    assertTrue(topics.stream().noneMatch(t -> t.startsWith("__")), topics.toString());
  }

  @Test
  void describesPartitionsConfigsAndEndOffsets() throws Exception {
    admin.createTopic("admin-describe", 3, 1);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, admin.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("admin-describe", 1, "k", "v1")).get();
      producer.send(new ProducerRecord<>("admin-describe", 1, "k", "v2")).get();
    }
    TopicDetails details = admin.describeTopic("admin-describe");
    assertEquals("admin-describe", details.name());
    assertEquals(3, details.partitions().size());
    assertEquals(1, details.replicationFactor());
    PartitionDetails partition1 = details.partitions().get(1);
    assertEquals(1, partition1.partition());
    assertEquals(1, partition1.leader());
    assertEquals(List.of(1), partition1.replicas());
    assertEquals(List.of(1), partition1.isr());
    assertEquals(2, partition1.endOffset());
    assertEquals(0, details.partitions().get(0).endOffset());
    assertEquals(2, details.messageCount());
    assertEquals("604800000", details.configs().get("retention.ms"));
    assertEquals("delete", details.configs().get("cleanup.policy"));
  }

  @Test
  void deletesATopic() {
    admin.createTopic("admin-delete", 1, 1);
    admin.deleteTopic("admin-delete");
    assertFalse(admin.listTopics().contains("admin-delete"));
  }

  @Test
  void deletingOrDescribingAnAbsentTopicSaysItDoesNotExist() {
    KafkaAdminException delete = assertThrows(KafkaAdminException.class, () -> admin.deleteTopic("admin-absent"));
    assertEquals("topic admin-absent does not exist on " + admin.bootstrapServers(), delete.getMessage());
    KafkaAdminException describe = assertThrows(KafkaAdminException.class,
        () -> admin.describeTopic("admin-absent"));
    assertTrue(describe.getMessage().contains("does not exist"), describe.getMessage());
  }

  @Test
  void rejectsInvalidNamesAndImpossibleReplication() {
    KafkaAdminException name = assertThrows(KafkaAdminException.class, () -> admin.createTopic("bad name!", 1, 1));
    assertTrue(name.getMessage().startsWith("invalid topic name 'bad name!'"), name.getMessage());
    KafkaAdminException replication = assertThrows(KafkaAdminException.class,
        () -> admin.createTopic("admin-rf3", 1, 3));
    assertTrue(replication.getMessage().contains("replication factor 3")
        && replication.getMessage().contains("only 1 broker"), replication.getMessage());
    assertFalse(admin.listTopics().contains("admin-rf3"));
    assertThrows(KafkaAdminException.class, () -> admin.createTopic("admin-p0", 0, 1));
  }

  @Test
  void unreachableServersFailFastNamingTheAddress() {
    String nowhere = "127.0.0.1:" + LoopbackPorts.pick();
    long start = System.nanoTime();
    try (FinkKafkaAdmin unreachable = FinkKafkaAdmin.connect(nowhere)) {
      KafkaAdminException error = assertThrows(KafkaAdminException.class, unreachable::listTopics);
      assertTrue(error.getMessage().contains(nowhere), error.getMessage());
      KafkaAdminException await = assertThrows(KafkaAdminException.class,
          () -> unreachable.awaitReachable(Duration.ofSeconds(2)));
      assertTrue(await.getMessage().contains(nowhere), await.getMessage());
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(elapsed.compareTo(Duration.ofSeconds(15)) < 0, "took " + elapsed);
  }

  @Test
  void createsWithRetentionAndTheClusterDefaultReplication() {
    assertTrue(admin.createTopic(TopicSpec.named("admin-retention").withPartitions(2)
        .withRetention(Duration.ofHours(5))));
    TopicDetails details = admin.describeTopic("admin-retention");
    assertEquals(1, details.replicationFactor(), "the single broker's default");
    assertEquals(2, details.partitions().size());
    assertEquals("18000000", details.configs().get("retention.ms"));
    assertTrue(admin.createTopic(TopicSpec.named("admin-compacted").compacted()));
    assertEquals("compact", admin.describeTopic("admin-compacted").configs().get("cleanup.policy"));
    KafkaAdminException zero = assertThrows(KafkaAdminException.class,
        () -> TopicSpec.named("x").withRetention(Duration.ZERO));
    assertTrue(zero.getMessage().contains("retention must be positive"), zero.getMessage());
  }

  @Test
  void describesTheLagOfAConsumerGroupPerPartition() throws Exception {
    admin.createTopic("admin-lag", 2, 1);
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, admin.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("admin-lag", 0, "k", "v" + i)).get();
      }
      producer.send(new ProducerRecord<>("admin-lag", 1, "k", "w")).get();
    }
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, admin.bootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "admin-lag-group");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
      consumer.commitSync(Map.of(new TopicPartition("admin-lag", 0), new OffsetAndMetadata(2)));
    }
    GroupDetails group = admin.describeGroup("admin-lag-group");
    assertEquals("admin-lag-group", group.group());
    assertEquals(0, group.members());
    assertEquals(List.of(new GroupPartitionLag("admin-lag", 0, 2, 5)), group.partitions());
    assertEquals(3, group.partitions().get(0).lag());
    assertEquals(3, group.totalLag());
    KafkaAdminException absent = assertThrows(KafkaAdminException.class, () -> admin.describeGroup("admin-nogroup"));
    assertEquals("consumer group admin-nogroup does not exist on " + admin.bootstrapServers(), absent.getMessage());
  }

  @Test
  void aclsOnAClusterWithoutAuthorizerAreAClearError() {
    KafkaAdminException error = assertThrows(KafkaAdminException.class, () -> admin.acls().list());
    assertTrue(error.getMessage().contains("no authorizer"), error.getMessage());
  }

  @Test
  void malformedBootstrapServersAreNamed() {
    KafkaAdminException error = assertThrows(KafkaAdminException.class, () -> FinkKafkaAdmin.connect("nohostport"));
    assertTrue(error.getMessage().contains("nohostport"), error.getMessage());
  }
}
