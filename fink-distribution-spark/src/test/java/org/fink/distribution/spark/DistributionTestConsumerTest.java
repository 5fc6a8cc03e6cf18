package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;

/** {@code distribution_test --max-alerts N} prints exactly N alerts, even when one micro-batch holds 80. */
class DistributionTestConsumerTest {
  @Test
  void printsExactlyMaxAlertsOfALargerMicroBatch() throws Exception {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String topic = "distribution-test-max-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 1, (short) 1);
    }
    SyntheticAlerts alerts = SyntheticAlerts.ztf(19);
    AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, alerts.schema());
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < 80; i++) {
        GenericRecord alert = alerts.next();
        producer.send(new ProducerRecord<>(topic, alert.get("objectId").toString().getBytes(StandardCharsets.UTF_8),
            codec.encode(alert)));
      }
      producer.flush();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AlertTopicReader reader = new AlertTopicReader(TestSpark.session(), servers, alerts.schema(), null);
    long printed = new DistributionTestConsumer(reader, new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(topic, 20, Duration.ofSeconds(90));
    String out = bytes.toString(StandardCharsets.UTF_8);
    long tables = out.lines().filter(l -> l.startsWith("|") && l.contains("kafka_offset")).count();
    long rows = out.lines().filter(l -> l.startsWith("|")).count() - tables;
    assertEquals(20, printed, out);
    assertEquals(20, rows, out);
    assertEquals("20 alerts read from " + topic, out.strip().lines().reduce((a, b) -> b).orElse(""));
  }
}
