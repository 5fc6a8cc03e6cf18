package org.fink.kafka.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.fink.distribution.kafka.FinkSchemaTopic;

/**
 * What a producer or a consumer may do, as ACLs: a producer may write to and describe one topic; a transactional
 * producer (a distribution with {@code DISTRIBUTION_DELIVERY=exactly-once}) may also use the transactional ids that
 * start with {@value #TRANSACTIONAL_ID_PREFIX}; a consumer may read and describe one topic and read with consumer
 * groups whose names start with a prefix (Spark's Kafka source makes up group names starting with
 * {@code spark-kafka-}). Granted and revoked with the same arguments.
 *
 * <p>A named topic comes with its schema topic {@code <topic>_schema} ({@link FinkSchemaTopic}), where a distribution in
 * the {@code fink} framing publishes the stream's schema and fink-client's transfer tool reads it: a producer may also
 * create, write, describe it and delete its old records (the distribution keeps only the current schema there), a
 * consumer may read and describe it. The companion is left out for {@code *} (which covers it) and for a topic whose
 * name already ends in {@value FinkSchemaTopic#SUFFIX}; on a topic without schema topic its ACLs are harmless.
 *
 * <pre>{@code
 * acls.grant(ClientAccess.producer("fink", "*", "fink_outstream"));
 * acls.grant(ClientAccess.transactionalProducer("fink", "*", "fink_outstream"));
 * acls.grant(ClientAccess.consumer("alerce", "192.0.2.7", "fink_outstream", "spark-kafka-"));
 * acls.revoke(ClientAccess.consumer("alerce", "192.0.2.7", "fink_outstream", "spark-kafka-"));
 * }</pre>
 *
 * @param role producer or consumer
 * @param user user name (the principal {@code User:name})
 * @param host client IP address the rules apply to, or {@code *} for any
 * @param topic topic name, or {@code *} for every topic
 * @param groupPrefix consumers only: the prefix of the consumer groups they may use
 */
public record ClientAccess(Role role, String user, String host, String topic, Optional<String> groupPrefix) {
  /** Kind of client. */
  public enum Role { PRODUCER, TRANSACTIONAL_PRODUCER, CONSUMER }

  /** The start of the transactional ids of an exactly-once distribution ({@code fink-<query id>-<partition>}). */
  public static final String TRANSACTIONAL_ID_PREFIX = "fink-";

  public ClientAccess {
    if (user == null || user.isBlank()) {
      throw new KafkaAdminException("an ACL needs a user name (-u USER)");
    }
    checkHost(host);
    checkTopic(topic);
    if (role == Role.CONSUMER && (groupPrefix.isEmpty() || groupPrefix.get().isBlank())) {
      throw new KafkaAdminException("consumer ACLs need a consumer group prefix (-c GROUP)");
    }
    if (role != Role.CONSUMER && groupPrefix.isPresent()) {
      throw new KafkaAdminException("producer ACLs take no consumer group");
    }
  }

  public static ClientAccess producer(String user, String host, String topic) {
    return new ClientAccess(Role.PRODUCER, user, host, topic, Optional.empty());
  }

  /** A producer that publishes in transactions (exactly once): producer ACLs and the transactional ids. */
  public static ClientAccess transactionalProducer(String user, String host, String topic) {
    return new ClientAccess(Role.TRANSACTIONAL_PRODUCER, user, host, topic, Optional.empty());
  }

  public static ClientAccess consumer(String user, String host, String topic, String groupPrefix) {
    return new ClientAccess(Role.CONSUMER, user, host, topic, Optional.ofNullable(groupPrefix));
  }

  /** E.g. {@code producer ACLs of user fink from host * on topic fink_outstream}. */
  public String describe() {
    String kind = switch (role) {
      case PRODUCER -> "producer";
      case TRANSACTIONAL_PRODUCER -> "transactional producer";
      case CONSUMER -> "consumer";
    };
    return kind + " ACLs of user " + user + " from host " + host + " on topic " + topic
        + schemaTopic().map(t -> " and its schema topic " + t).orElse("")
        + groupPrefix.map(g -> " with consumer groups " + g + "*").orElse("")
        + (role == Role.TRANSACTIONAL_PRODUCER ? " with transactional ids " + TRANSACTIONAL_ID_PREFIX + "*" : "");
  }

  /**
   * The ACLs: producer WRITE and DESCRIBE on the topic (transactional: also WRITE and DESCRIBE on the transactional
   * ids); consumer READ and DESCRIBE on it, READ on the group prefix. On the schema topic {@code <topic>_schema}:
   * producer CREATE, WRITE, DESCRIBE and DELETE (of records), consumer READ and DESCRIBE.
   */
  List<AclBinding> bindings() {
    ResourcePattern topicPattern = new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
    List<AclBinding> bindings = new ArrayList<>();
    if (role != Role.CONSUMER) {
      bindings.add(allow(topicPattern, AclOperation.WRITE));
      bindings.add(allow(topicPattern, AclOperation.DESCRIBE));
    }
    Optional<ResourcePattern> schemas = schemaTopic()
        .map(name -> new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL));
    if (role != Role.CONSUMER && schemas.isPresent()) {
      for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.DESCRIBE,
          AclOperation.DELETE)) {
        bindings.add(allow(schemas.get(), operation));
      }
    }
    if (role == Role.TRANSACTIONAL_PRODUCER) {
      ResourcePattern ids = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, TRANSACTIONAL_ID_PREFIX,
          PatternType.PREFIXED);
      bindings.add(allow(ids, AclOperation.WRITE));
      bindings.add(allow(ids, AclOperation.DESCRIBE));
    }
    if (role == Role.CONSUMER) {
      bindings.add(allow(topicPattern, AclOperation.READ));
      bindings.add(allow(topicPattern, AclOperation.DESCRIBE));
      bindings.add(allow(new ResourcePattern(ResourceType.GROUP, groupPrefix.orElseThrow(), PatternType.PREFIXED),
          AclOperation.READ));
    }
    if (role == Role.CONSUMER && schemas.isPresent()) {
      bindings.add(allow(schemas.get(), AclOperation.READ));
      bindings.add(allow(schemas.get(), AclOperation.DESCRIBE));
    }
    return bindings;
  }

  /** The schema topic that comes with {@link #topic}: none for {@code *} or a name ending in {@code _schema}. */
  public Optional<String> schemaTopic() {
    if ("*".equals(topic) || topic.endsWith(FinkSchemaTopic.SUFFIX)) {
      return Optional.empty();
    }
    String name = FinkSchemaTopic.nameFor(topic);
    return name.length() <= 249 ? Optional.of(name) : Optional.empty();
  }

  private AclBinding allow(ResourcePattern pattern, AclOperation operation) {
    return new AclBinding(pattern, new AccessControlEntry("User:" + user, host, operation, AclPermissionType.ALLOW));
  }

  /** Kafka matches ACL hosts against the client's IP address: a host name would never match. */
  private static void checkHost(String host) {
    if (host == null || host.isBlank()) {
      throw new KafkaAdminException("an ACL needs a host (-H HOST): an IP address, or * for any host");
    }
    boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        && Arrays.stream(host.split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255);
    boolean ipv6 = host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
    if (!"*".equals(host) && !ipv4 && !ipv6) {
      throw new KafkaAdminException("ACL host '" + host + "' is not an IP address: Kafka matches ACLs against the"
          + " client's IP address, so give one (e.g. 192.0.2.7), or * for any host");
    }
  }

  private static void checkTopic(String topic) {
    if ("*".equals(topic)) {
      return;
    }
    try {
      Topic.validate(topic);
    } catch (InvalidTopicException | NullPointerException e) {
      throw new KafkaAdminException("invalid topic name '" + topic + "': "
          + (e.getMessage() == null ? "missing" : e.getMessage()), e);
    }
  }
}
