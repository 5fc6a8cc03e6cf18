package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.schema.SchemaException;

/**
 * The compacted topic through which streams publish their schemas: key = the schema's fingerprint (16 hex digits),
 * value = the schema (JSON), header {@value #HEADER_TOPIC} = the alert topic that uses it. A consumer with access to
 * this topic needs no schema file and no registry server.
 *
 * <pre>{@code
 * SchemaTopic schemas = new SchemaTopic("127.0.0.1:9092", "fink_schemas", new Properties());
 * schemas.publish("fink_outstream", schema);
 * Schema writer = new SchemaTopicStore(schemas, Duration.ofSeconds(10)).findByFingerprint(fingerprint);
 * }</pre>
 *
 * @param servers bootstrap servers
 * @param name schema topic
 * @param clientProperties extra Kafka client settings (security)
 */
public record SchemaTopic(String servers, String name, Properties clientProperties) {
  /** Default name of the schema topic. */
  public static final String DEFAULT_NAME = "fink_schemas";
  /** Header naming the alert topic a schema is published for. */
  public static final String HEADER_TOPIC = "fink-topic";
  /** How long a schema's publication may wait for the broker's acknowledgement. */
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

  /** Creates the topic (compacted, one partition) unless it exists. */
  public void ensureExists() {
    TopicCreation.createIfMissing(servers, clientProperties, "schema topic", name,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), SchemaException::new);
  }

  /** Publishes a stream's schema (creating the topic if needed); waits for the broker's acknowledgement. */
  public void publish(String alertTopic, Schema schema) {
    ensureExists();
    Properties props = properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(name,
        SchemaFingerprint.hex(SchemaFingerprint.of(schema)).getBytes(StandardCharsets.UTF_8),
        schema.toString().getBytes(StandardCharsets.UTF_8));
    send(props, record, alertTopic, servers, clientProperties);
  }

  /**
   * Sends the schema record of {@code alertTopic} to its schema topic and waits for the broker's acknowledgement;
   * returns its offset. A refusal or a time-out is a {@link SchemaException} naming both topics.
   */
  static long send(Properties props, ProducerRecord<byte[], byte[]> record, String alertTopic, String servers,
      Properties clientProperties) {
    String name = record.topic();
    record.headers().add(HEADER_TOPIC, alertTopic.getBytes(StandardCharsets.UTF_8));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer.send(record).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = KafkaErrors.unwrap(e);
      KafkaProblem problem = KafkaErrors.explain(cause, "publishing the schema of " + alertTopic + " to " + name,
          servers, PUBLISH_TIMEOUT, AdminRequests.saslUser(clientProperties));
      throw new SchemaException(problem.withMessage("cannot publish the schema of " + alertTopic + " to " + name
          + ": " + (problem.kind() == KafkaProblem.Kind.UNREACHABLE ? problem.message() : cause.getMessage())),
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaException("interrupted while publishing the schema of " + alertTopic);
    }
  }

  /** Every schema published so far, and the latest one per alert topic. */
  public record Contents(Map<Long, Schema> byFingerprint, Map<String, Schema> latestByTopic) {}

  /** Reads the whole topic (empty contents when it does not exist). */
  public Contents read() {
    Map<Long, Schema> byFingerprint = new LinkedHashMap<>();
    Map<String, Schema> latest = new HashMap<>();
    Properties props = properties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "fink-schema-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(10));
      if (!topics.containsKey(name)) {
        return new Contents(byFingerprint, latest);
      }
      List<TopicPartition> partitions =
          topics.get(name).stream().map(p -> new TopicPartition(name, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new SchemaException("timed out reading schema topic " + name + " on " + servers);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            continue;
          }
          Schema schema = new Schema.Parser().parse(new String(record.value(), StandardCharsets.UTF_8));
          byFingerprint.put(SchemaFingerprint.of(schema), schema);
          Header topic = record.headers().lastHeader(HEADER_TOPIC);
          if (topic != null) {
            latest.put(new String(topic.value(), StandardCharsets.UTF_8), schema);
          }
        }
      }
    }
    return new Contents(byFingerprint, latest);
  }

  /** The latest schema published for an alert topic. */
  public Optional<Schema> latestFor(String alertTopic) {
    return Optional.ofNullable(read().latestByTopic().get(alertTopic));
  }

  private Properties properties() {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    return props;
  }
}
