package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.kafka.FinkSchemaTopic;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertConsumer.Builder#topicPattern} on a real broker: the topics whose name matches are read, a named topic
 * beside them too, and the fink framing's {@code <topic>_schema} side topics never, though the pattern matches their
 * names.
 */
class AlertConsumerTopicPatternTest {
  private static final Schema SCHEMA = SchemaBuilder.record("alert").namespace("test").fields()
      .requiredString("objectId").requiredLong("candid").endRecord();
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static void publish(String servers, String topic, int alerts) throws Exception {
    AlertCodec codec = AlertCodec.of(MessageFormat.FINK, SCHEMA);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < alerts; i++) {
        GenericRecord alert = new GenericData.Record(SCHEMA);
        alert.put("objectId", topic + "-" + i);
        alert.put("candid", (long) i);
        producer.send(new ProducerRecord<>(topic, codec.messageKey(null), codec.encode(alert))).get();
      }
    }
  }

  @Test
  void readsTheMatchingTopicsButNotTheirSchemaTopics() throws Exception {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String prefix = "pattern-" + UUID.randomUUID().toString().substring(0, 8);
    String early = prefix + "_early_sn";
    String kn = prefix + "_kn";
    String named = "named-" + prefix;
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      for (String topic : List.of(early, kn, named, "other-" + prefix)) {
        admin.createTopic(topic, 2, (short) 1);
      }
    }
    publish(servers, early, 3);
    publish(servers, kn, 2);
    publish(servers, named, 1);
    publish(servers, "other-" + prefix, 4);
    // the side topics a distribution in the fink framing writes; the pattern matches their names
    new FinkSchemaTopic(servers, new Properties()).publish(early, SCHEMA);
    new FinkSchemaTopic(servers, new Properties()).publish(kn, SCHEMA);

    List<ConsumedAlert> read = new ArrayList<>();
    try (AlertConsumer consumer = AlertConsumer.builder().servers(servers).schemaTopic(null)
        .topics(named).topicPattern(prefix + "_.*").build()) {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (read.size() < 6 && System.nanoTime() < end) {
        read.addAll(consumer.poll(Duration.ofMillis(200)));
      }
      // what else the subscription would bring: the side topics hold one message each
      long quiet = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < quiet) {
        read.addAll(consumer.poll(Duration.ofMillis(200)));
      }
      assertEquals(Set.of(early, kn, named), consumer.topics());
      assertEquals(0, consumer.corrupt(), "no message of a _schema topic was taken for an alert");
      assertTrue(consumer.lag().keySet().stream().noneMatch(tp -> tp.topic().endsWith(FinkSchemaTopic.SUFFIX)),
          consumer.lag().toString());
    }
    assertEquals(6, read.size(), read.toString());
    assertEquals(3, read.stream().filter(a -> a.topic().equals(early)).count());
    assertEquals(2, read.stream().filter(a -> a.topic().equals(kn)).count());
    assertEquals(1, read.stream().filter(a -> a.topic().equals(named)).count());
    assertFalse(read.stream().anyMatch(a -> a.topic().startsWith("other-")));
  }

  @Test
  void aBadPatternIsRefusedAtOnce() {
    PatternSyntaxException e = assertThrows(PatternSyntaxException.class,
        () -> AlertConsumer.builder().topicPattern("fink_(.*"));
    assertTrue(e.getMessage().contains("fink_(.*"), e.getMessage());
  }
}
