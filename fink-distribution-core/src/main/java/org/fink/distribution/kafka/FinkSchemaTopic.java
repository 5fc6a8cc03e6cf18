package org.fink.distribution.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.schema.SchemaException;

/**
 * The companion topic {@code <topic>_schema} of a topic written in the Fink framing, where fink-client's data-transfer
 * tool finds the topic's schema (the key of the first message it reads): key = value = the schema as compact JSON,
 * header {@value SchemaTopic#HEADER_TOPIC} = the alert topic. One partition, compacted, created when missing.
 *
 * <pre>{@code
 * new FinkSchemaTopic("127.0.0.1:9092", new Properties()).publish("fink_outstream", schema);
 * // fink_outstream_schema now holds the schema
 * }</pre>
 */
public final class FinkSchemaTopic {
  /** What is appended to an alert topic's name to name its schema topic. */
  public static final String SUFFIX = "_schema";
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

  private final String servers;
  private final Properties clientProperties;

  /**
   * @param servers bootstrap servers
   * @param clientProperties extra Kafka client settings (security)
   */
  public FinkSchemaTopic(String servers, Properties clientProperties) {
    this.servers = servers;
    this.clientProperties = clientProperties;
  }

  /** The schema topic of an alert topic: {@code fink_outstream} -> {@code fink_outstream_schema}. */
  public static String nameFor(String alertTopic) {
    return alertTopic + SUFFIX;
  }

  /** Publishes the schema of {@code alertTopic} to its schema topic (created if needed); waits for the broker. */
  public void publish(String alertTopic, Schema schema) {
    String name = nameFor(alertTopic);
    TopicCreation.createIfMissing(servers, clientProperties, "schema topic", name,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), SchemaException::new);
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    byte[] json = AlertCodec.schemaKey(schema);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1024 * 1024, 4 * json.length)));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(name, json, json);
      record.headers().add(SchemaTopic.HEADER_TOPIC, alertTopic.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
}
