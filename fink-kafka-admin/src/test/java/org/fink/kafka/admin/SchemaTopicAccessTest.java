package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.kafka.FinkSchemaTopic;
import org.fink.distribution.schema.SchemaException;
import org.junit.jupiter.api.Test;

/**
 * What {@code fink_kafka --authorization} grants on a topic covers its schema topic {@code <topic>_schema}: the
 * distribution's user creates it, publishes the schema and drops the older ones, and a reader gets the current schema
 * from the first message, as fink-client's transfer tool does. One broker in security mode (SCRAM, ACL authorizer).
 */
class SchemaTopicAccessTest {
  private static final Schema V1 = SchemaBuilder.record("alert").namespace("fink").fields()
      .optionalString("objectId").endRecord();
  private static final Schema V2 = SchemaBuilder.record("alert").namespace("fink").fields()
      .optionalString("objectId").optionalDouble("magpsf").endRecord();

  @Test
  void producerAndConsumerAclsCoverTheSchemaTopicAndItsFirstMessageIsTheCurrentSchema() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().superUser("fink-admin", "admin-" + UUID.randomUUID())
        .build().start(); FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers(),
            broker.superUserClientProperties())) {
      String topic = "ftransfer_ztf_" + UUID.randomUUID().toString().substring(0, 8);
      String schemaTopic = topic + "_schema";
      admin.createTopic(TopicSpec.named(topic));
      String writerPassword = "writer-" + UUID.randomUUID();
      String readerPassword = "reader-" + UUID.randomUUID();
      admin.scramUsers().upsert("writer", writerPassword.toCharArray());
      admin.scramUsers().upsert("reader", readerPassword.toCharArray());
      FinkSchemaTopic withoutAcl = new FinkSchemaTopic(broker.bootstrapServers(),
          SaslLogin.scramClientProperties("writer", writerPassword));
      SchemaException denied = assertThrows(SchemaException.class, () -> withoutAcl.publish(topic, V1));
      assertTrue(denied.getMessage().startsWith("user writer may not create " + schemaTopic), denied.getMessage());
      assertTrue(denied.getMessage().endsWith("grant it the producer ACL on " + topic + ", which covers " + schemaTopic),
          denied.getMessage());
      ClientAccess producer = ClientAccess.producer("writer", "*", topic);
      ClientAccess consumer = ClientAccess.consumer("reader", "*", topic, "transfer-");
      admin.acls().grant(producer);
      admin.acls().grant(consumer);
      awaitAclCount(admin, 11);
      List<String> acls = admin.acls().list().stream().map(AclEntry::describe).toList();
      for (String operation : List.of("CREATE", "WRITE", "DESCRIBE", "DELETE")) {
        assertTrue(acls.contains("User:writer from *: ALLOW " + operation + " on TOPIC " + schemaTopic), acls.toString());
      }
      assertTrue(acls.contains("User:reader from *: ALLOW READ on TOPIC " + schemaTopic), acls.toString());

      // no admin created the schema topic: the producer's ACLs let the distribution's user create it
      FinkSchemaTopic asWriter = new FinkSchemaTopic(broker.bootstrapServers(),
          SaslLogin.scramClientProperties("writer", writerPassword));
      assertEquals(0, asWriter.publish(topic, V1));
      Properties asReader = SaslLogin.scramClientProperties("reader", readerPassword);
      assertArrayEquals(AlertCodec.schemaKey(V1), firstKey(broker, asReader, schemaTopic, "transfer-1"));

      // a schema change: the first message is now the new schema (the older one deleted), for a new reader
      assertEquals(1, asWriter.publish(topic, V2));
      assertArrayEquals(AlertCodec.schemaKey(V2), firstKey(broker, asReader, schemaTopic, "transfer-2"));
      assertEquals("compact,delete", admin.describeTopic(schemaTopic).configs().get("cleanup.policy"),
          "records before the current schema can be deleted");

      assertEquals(6, admin.acls().revoke(producer), "the grant's arguments remove exactly what it added");
      assertEquals(5, admin.acls().revoke(consumer));
    }
  }

  /**
   * A schema topic made compact-only (by hand, or by an older release): Kafka refuses to delete its records, so the
   * new schema is published and a warning says the first message is older (and how to fix it); nothing fails.
   */
  @Test
  void aCompactOnlySchemaTopicGetsTheNewSchemaAndAWarningInsteadOfAFailure() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers())) {
      String topic = "ftransfer_old_" + UUID.randomUUID().toString().substring(0, 8);
      admin.createTopic(TopicSpec.named(topic + "_schema").compacted());
      FinkSchemaTopic schemas = new FinkSchemaTopic(broker.bootstrapServers(), new Properties());
      assertEquals(0, schemas.publish(topic, V1));
      assertEquals(1, schemas.publish(topic, V2), "published although the older one cannot be deleted");
      assertArrayEquals(AlertCodec.schemaKey(V1), firstKey(broker, new Properties(), topic + "_schema", "t-1"),
          "the first message stays the older schema until the topic is deleted (see the warning)");
      admin.deleteTopic(topic + "_schema"); // the fix the warning gives; the next start creates it anew
      awaitGone(admin, topic + "_schema");
      assertEquals(0, schemas.publish(topic, V2));
      assertArrayEquals(AlertCodec.schemaKey(V2), firstKey(broker, new Properties(), topic + "_schema", "t-2"));
    }
  }

  private static void awaitGone(FinkKafkaAdmin admin, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (admin.listTopics().contains(topic) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    assertTrue(!admin.listTopics().contains(topic), topic + " deleted");
  }

  /** The key of the first message of {@code topic}, read from the earliest offset with a new group (the transfer tool). */
  private static byte[] firstKey(EmbeddedKafkaBroker broker, Properties login, String topic, String group) {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertTrue(!records.isEmpty(), "a message on " + topic + " within 30 s");
      return records.get(0).key();
    }
  }

  /** ACLs reach the broker's authorizer through the metadata log a moment after the controller accepted them. */
  private static void awaitAclCount(FinkKafkaAdmin admin, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<AclEntry> acls = admin.acls().list();
    while (acls.size() != count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      acls = admin.acls().list();
    }
    assertEquals(count, acls.size(), acls.toString());
  }
}
