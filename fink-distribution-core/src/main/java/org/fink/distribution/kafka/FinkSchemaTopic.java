package org.fink.distribution.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.fink.distribution.FinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.schema.SchemaException;

/**
 * The companion topic {@code <topic>_schema} of a topic written in the Fink framing, where fink-client's data-transfer
 * tool finds the topic's schema (the key of the first message it reads): key = value = the schema as compact JSON,
 * header {@value SchemaTopic#HEADER_TOPIC} = the alert topic. One partition, created when missing with
 * {@code cleanup.policy=compact,delete} and no retention limit.
 *
 * <p>The first message must be the current schema, and a log only appends: after publishing a schema, the records
 * before it are deleted ({@code Admin.deleteRecords}), so the topic holds one message, the current schema, and a reader
 * from the earliest offset gets it. This needs the right to delete records of the topic (the producer ACL of
 * {@code fink_kafka --authorization} grants it) and a topic whose cleanup policy includes {@code delete} (Kafka
 * refuses to delete records of a compact-only topic); without either, a warning says that readers of the first
 * message get an older schema, and how to fix it.
 *
 * <pre>{@code
 * new FinkSchemaTopic("127.0.0.1:9092", new Properties()).publish("fink_outstream", schema);
 * // fink_outstream_schema now holds the schema
 * }</pre>
 */
public final class FinkSchemaTopic {
  /** What is appended to an alert topic's name to name its schema topic. */
  public static final String SUFFIX = "_schema";
  private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(FinkSchemaTopic.class);

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

  /**
   * Publishes the schema of {@code alertTopic} to its schema topic (created if needed), waits for the broker, then
   * deletes the records before it so that the first message is this schema.
   *
   * @return the offset of the published schema, now the first of the topic (unless a warning said otherwise)
   */
  public long publish(String alertTopic, Schema schema) {
    String name = nameFor(alertTopic);
    try {
      TopicCreation.createIfMissing(servers, clientProperties, "schema topic", name, Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"), SchemaException::new);
    } catch (SchemaException e) {
      KafkaProblem problem = e.kafkaProblem().orElse(null);
      if (problem == null || problem.kind() != KafkaProblem.Kind.CREATE_NOT_AUTHORIZED) {
        throw e;
      }
      String user = AdminRequests.saslUser(clientProperties);
      // not "create it by hand": a topic made with the defaults would lose the schema after its retention
      throw new SchemaException(problem.as(KafkaProblem.Kind.NOT_AUTHORIZED, "user " + (user == null ? "USER" : user)
          + " may not create " + name + ", where fink-client's transfer tool reads the schema of " + alertTopic
          + ": grant it the producer ACL on " + alertTopic + ", which covers " + name),
          e.getCause());
    }
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    byte[] json = AlertCodec.schemaKey(schema);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1024 * 1024, 4 * json.length)));
    long offset = SchemaTopic.send(props, new ProducerRecord<>(name, json, json), alertTopic, servers,
        clientProperties);
    dropRecordsBefore(alertTopic, name, offset);
    return offset;
  }

  /** Deletes the records of {@code name} before {@code offset}; a refusal is a warning (nothing is lost). */
  private void dropRecordsBefore(String alertTopic, String name, long offset) {
    if (offset <= 0) {
      return;
    }
    TopicPartition partition = new TopicPartition(name, 0);
    try (AdminRequests requests = AdminRequests.open(servers, clientProperties, DELETE_TIMEOUT, SchemaException::new)) {
      requests.await(requests.admin().deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset)))
          .all(), "deleting the older schemas of " + name);
    } catch (FinkException e) {
      KafkaProblem problem = e.kafkaProblem().orElse(null);
      String fix = problem == null ? "" : switch (problem.kind()) {
        case POLICY_VIOLATION -> "; its cleanup.policy is compact only (a topic made before): delete topic "
            + name + " and the next start creates it anew";
        case NOT_AUTHORIZED -> "; grant the user the producer ACL on " + alertTopic + " again, which now includes"
            + " DELETE on " + name;
        default -> "";
      };
      LOG.warn("the schema of {} is published to {} but older schemas stay before it, so fink-client's transfer"
          + " tool, which reads the first message, gets an older schema: {}{}", alertTopic, name, e.getMessage(), fix);
    }
  }
}
