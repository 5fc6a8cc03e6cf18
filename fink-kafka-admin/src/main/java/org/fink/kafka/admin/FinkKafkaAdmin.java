package org.fink.kafka.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.fink.distribution.kafka.AdminRequests;
import org.fink.distribution.kafka.KafkaErrors;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.KafkaProblem.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic administration of a Kafka cluster, with short timeouts and errors a user understands.
 *
 * <pre>{@code
 * try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect("127.0.0.1:9092")) {
 *   boolean created = admin.createTopic("fink_outstream", 4, 1); // false if it existed already
 *   List<String> topics = admin.listTopics();                     // sorted, internal topics hidden
 *   TopicDetails details = admin.describeTopic("fink_outstream");
 *   admin.deleteTopic("fink_outstream");
 * }
 * // a cluster with SASL: the client properties carry the login (security.protocol, sasl.mechanism, sasl.jaas.config)
 * try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect("broker-1:9093", saslProperties)) {
 *   admin.createTopic(TopicSpec.named("fink_outstream").withPartitions(4).withRetention(Duration.ofHours(48)));
 *   admin.scramUsers().upsert("alerce", password);
 *   admin.acls().grant(ClientAccess.consumer("alerce", "*", "fink_outstream", "spark-kafka-"));
 *   GroupDetails lag = admin.describeGroup("spark-kafka-alerce");
 * }
 * }</pre>
 *
 * <p>Every call gives up after about 5 s (request and API timeouts; override them in the client properties) with a
 * {@link KafkaAdminException} naming the address; a refused login or a request no ACL allows fails at once, saying
 * so.
 */
public final class FinkKafkaAdmin implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FinkKafkaAdmin.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final AdminRequests calls;
  private final Admin admin;
  private final String bootstrapServers;
  private final Duration apiTimeout;

  private FinkKafkaAdmin(AdminRequests calls) {
    this.calls = calls;
    this.admin = calls.admin();
    this.bootstrapServers = calls.servers();
    this.apiTimeout = calls.timeout();
  }

  /** An admin client of the cluster at {@code bootstrapServers} ({@code host:port,...}); connects lazily. */
  public static FinkKafkaAdmin connect(String bootstrapServers) {
    return connect(bootstrapServers, new Properties());
  }

  /**
   * An admin client with extra Kafka client properties (security settings, timeouts), which win over the defaults.
   */
  public static FinkKafkaAdmin connect(String bootstrapServers, Properties clientProperties) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new KafkaAdminException("no Kafka bootstrap servers given (expected host:port[,host:port...])");
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "5000");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "fink-kafka-admin");
    props.putAll(clientProperties);
    return new FinkKafkaAdmin(AdminRequests.open(bootstrapServers, props, DEFAULT_TIMEOUT, KafkaAdminException::new));
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Waits until the cluster answers a describe-cluster request.
   *
   * @throws KafkaAdminException naming the address if it does not answer within {@code timeout}
   */
  public void awaitReachable(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    do {
      long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      int attemptMs = (int) Math.min(remainingMs, 2_000);
      try {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(attemptMs)).clusterId()
            .get(attemptMs + 1_000L, TimeUnit.MILLISECONDS);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaAdminException("interrupted while waiting for Kafka at " + bootstrapServers, e);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        last = e instanceof ExecutionException ? e.getCause() : e;
        if (last instanceof AuthenticationException) {
          throw calls.fail(last, "connecting"); // a TLS mismatch or refused credentials
        }
        LOG.debug("Kafka at {} not answering yet: {}", bootstrapServers, last.toString());
      }
      LockSupport.parkNanos(POLL_NANOS);
    } while (System.nanoTime() < deadline);
    KafkaProblem tls = last == null ? null : calls.explain(last, "connecting");
    if (tls != null && tls.kind() == Kind.TLS_MISMATCH) {
      throw new KafkaAdminException(tls, last);
    }
    throw new KafkaAdminException(new KafkaProblem(Kind.UNREACHABLE, "Kafka at " + bootstrapServers
        + " did not answer within " + seconds(timeout) + " s (" + rootMessage(last) + "): is the cluster running and"
        + " is the address right?", bootstrapServers, null, calls.user()), last);
  }

  /** Node ids and addresses of the brokers the cluster reports. */
  public List<Node> brokers() {
    Collection<Node> nodes = await(admin.describeCluster().nodes(), "describing the cluster");
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparingInt(Node::id));
    return sorted;
  }

  /**
   * Creates a topic unless it exists, and waits until its partitions have leaders.
   *
   * @return true if created, false if it existed already (whatever its partitions and replication)
   * @throws KafkaAdminException for an invalid name, partition count or replication factor
   */
  public boolean createTopic(String name, int partitions, int replicationFactor) {
    validateName(name);
    return createTopic(TopicSpec.named(name).withPartitions(partitions).withReplicationFactor(replicationFactor));
  }

  /**
   * Creates a topic unless it exists, and waits until its partitions have leaders. Without a replication factor the
   * cluster's default applies; without a retention, the cluster's.
   *
   * @return true if created, false if it existed already (whatever its settings)
   * @throws KafkaAdminException for an invalid name, or a replication factor larger than the broker count
   */
  public boolean createTopic(TopicSpec spec) {
    String name = spec.name();
    validateName(name);
    int brokerCount = brokers().size();
    if (spec.replicationFactor().isPresent() && spec.replicationFactor().getAsInt() > brokerCount) {
      throw tooManyReplicas(name, spec.replicationFactor().getAsInt(), brokerCount);
    }
    NewTopic topic = new NewTopic(name, Optional.of(spec.partitions()),
        spec.replicationFactor().isPresent() ? Optional.of((short) spec.replicationFactor().getAsInt())
            : Optional.empty());
    Map<String, String> configs = new HashMap<>();
    spec.retention().ifPresent(keep -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(keep.toMillis())));
    if (spec.compact()) {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }
    topic.configs(configs);
    try {
      await(admin.createTopics(List.of(topic)).all(), "creating topic " + name);
    } catch (KafkaAdminException e) {
      Throwable cause = e.getCause();
      Kind kind = kind(e);
      if (kind == Kind.TOPIC_EXISTS) {
        LOG.debug("topic {} exists already", name);
        return false;
      }
      if (kind == Kind.INVALID_REPLICATION_FACTOR) {
        if (spec.replicationFactor().isPresent()) {
          throw tooManyReplicas(name, spec.replicationFactor().getAsInt(), brokerCount);
        }
        throw new KafkaAdminException(problem(e).withTopic(name).withMessage("cannot create topic " + name
            + " with the cluster's default replication factor: " + cause.getMessage() + "; give one of at most "
            + brokerCount), cause);
      }
      if (kind == Kind.INVALID_PARTITIONS) {
        throw new KafkaAdminException(problem(e).withTopic(name).withMessage("cannot create topic " + name + " with "
            + spec.partitions() + " partitions: " + cause.getMessage()), cause);
      }
      throw e;
    }
    awaitLeaders(name);
    LOG.info("created topic {} ({} partitions, replication factor {}) on {}", name, spec.partitions(),
        spec.replicationFactor().isPresent() ? spec.replicationFactor().getAsInt() : "default", bootstrapServers);
    return true;
  }

  /**
   * Deletes a topic and waits until the cluster no longer lists it.
   *
   * @throws KafkaAdminException if it does not exist
   */
  public void deleteTopic(String name) {
    validateName(name);
    try {
      await(admin.deleteTopics(List.of(name)).all(), "deleting topic " + name);
    } catch (KafkaAdminException e) {
      if (kind(e) == Kind.UNKNOWN_TOPIC) {
        throw unknownTopic(name, e.getCause());
      }
      throw e;
    }
    long deadline = System.nanoTime() + apiTimeout.toNanos();
    while (listTopics().contains(name) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    LOG.info("deleted topic {} on {}", name, bootstrapServers);
  }

  /**
   * Partitions (leader, replicas, in-sync replicas, end offset) and effective configuration of a topic.
   *
   * @throws KafkaAdminException if it does not exist
   */
  public TopicDetails describeTopic(String name) {
    validateName(name);
    TopicDescription description = describeExisting(name);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartitionInfo info : description.partitions()) {
      if (info.leader() != null && !info.leader().isEmpty()) {
        latest.put(new TopicPartition(name, info.partition()), OffsetSpec.latest());
      }
    }
    Map<TopicPartition, Long> endOffsets = new HashMap<>();
    if (!latest.isEmpty()) {
      await(admin.listOffsets(latest).all(), "reading end offsets of topic " + name)
          .forEach((partition, info) -> endOffsets.put(partition, info.offset()));
    }
    List<PartitionDetails> partitions = description.partitions().stream()
        .sorted(Comparator.comparingInt(TopicPartitionInfo::partition))
        .map(info -> new PartitionDetails(info.partition(),
            info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id(),
            info.replicas().stream().map(Node::id).toList(),
            info.isr().stream().map(Node::id).toList(),
            endOffsets.getOrDefault(new TopicPartition(name, info.partition()), -1L)))
        .toList();
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    Config config = await(admin.describeConfigs(List.of(resource)).all(), "reading the configuration of topic "
        + name).get(resource);
    Map<String, String> configs = new HashMap<>();
    for (ConfigEntry entry : config.entries()) {
      if (entry.value() != null) {
        configs.put(entry.name(), entry.value());
      }
    }
    return new TopicDetails(name, partitions, configs);
  }

  /** Topic names, sorted; internal topics ({@code __consumer_offsets}, ...) are left out. */
  public List<String> listTopics() {
    Collection<String> names = await(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(),
        "listing topics");
    return names.stream().filter(n -> !n.startsWith("__")).sorted().toList();
  }

  /**
   * A consumer group's state, members, and lag per partition (committed offsets against end offsets).
   *
   * @throws KafkaAdminException if the group does not exist
   */
  public GroupDetails describeGroup(String group) {
    if (group == null || group.isBlank()) {
      throw new KafkaAdminException("a consumer group name must not be empty");
    }
    ConsumerGroupDescription description;
    try {
      description = await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group),
          "describing consumer group " + group);
    } catch (KafkaAdminException e) {
      if (kind(e) == Kind.UNKNOWN_GROUP) {
        throw unknownGroup(group, e.getCause());
      }
      throw e;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = await(
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
        "reading the committed offsets of consumer group " + group);
    if (description.groupState() == GroupState.DEAD && committed.isEmpty()) {
      throw unknownGroup(group, null);
    }
    Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
    description.members().forEach(member -> partitions.addAll(member.assignment().topicPartitions()));
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, Long> endOffsets = new HashMap<>();
    if (!latest.isEmpty()) {
      await(admin.listOffsets(latest).all(), "reading end offsets for consumer group " + group)
          .forEach((partition, info) -> endOffsets.put(partition, info.offset()));
    }
    List<GroupPartitionLag> lags = partitions.stream()
        .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
        .map(partition -> {
          OffsetAndMetadata offset = committed.get(partition);
          return new GroupPartitionLag(partition.topic(), partition.partition(),
              offset == null ? -1 : offset.offset(), endOffsets.getOrDefault(partition, -1L));
        })
        .toList();
    return new GroupDetails(group, description.groupState().name(), description.members().size(), lags);
  }

  /**
   * What {@code reset} would make of group {@code group}'s offsets on every partition of {@code topic}; nothing is
   * changed.
   *
   * @throws KafkaAdminException if the group has active members (Kafka changes the offsets of an inactive group only)
   *     or the topic does not exist
   */
  public OffsetResetPlan planOffsetReset(String group, String topic, OffsetReset reset) {
    refuseActiveGroup(group);
    TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(),
        "describing topic " + topic).get(topic);
    List<TopicPartition> partitions = description.partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<TopicPartition, OffsetAndMetadata> committed = await(
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
        "reading the committed offsets of consumer group " + group);
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> atTime = reset.kind() == OffsetReset.Kind.TIME
        ? offsets(partitions, OffsetSpec.forTimestamp(reset.time().toEpochMilli())) : Map.of();
    List<OffsetResetPlan.Move> moves = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata current = committed.get(tp);
      long from = current == null ? -1 : current.offset();
      long low = earliest.get(tp);
      long high = latest.get(tp);
      long to = switch (reset.kind()) {
        case EARLIEST -> low;
        case LATEST -> high;
        case TIME -> atTime.get(tp) < 0 ? high : atTime.get(tp);
        case SHIFT -> (from < 0 ? low : from) + reset.shift();
      };
      moves.add(new OffsetResetPlan.Move(tp.partition(), from, Math.max(low, Math.min(high, to))));
    }
    return new OffsetResetPlan(group, topic, moves);
  }

  /**
   * Commits the offsets of {@code plan} for its group.
   *
   * @throws KafkaAdminException if the group has active members by now
   */
  public void applyOffsetReset(OffsetResetPlan plan) {
    refuseActiveGroup(plan.group());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    plan.moves().forEach(m -> offsets.put(new TopicPartition(plan.topic(), m.partition()),
        new OffsetAndMetadata(m.to())));
    await(admin.alterConsumerGroupOffsets(plan.group(), offsets).all(),
        "changing the offsets of consumer group " + plan.group());
  }

  private void refuseActiveGroup(String group) {
    if (group == null || group.isBlank()) {
      throw new KafkaAdminException("a consumer group name must not be empty");
    }
    ConsumerGroupDescription description = await(admin.describeConsumerGroups(List.of(group)).describedGroups()
        .get(group), "describing consumer group " + group);
    if (!description.members().isEmpty()) {
      throw new KafkaAdminException("consumer group " + group + " has " + description.members().size()
          + " active member(s) on " + bootstrapServers + ": stop its consumers first (Kafka moves the offsets of an"
          + " inactive group only), then reset");
    }
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, spec));
    Map<TopicPartition, Long> found = new HashMap<>();
    await(admin.listOffsets(query).all(), "reading offsets of " + partitions.get(0).topic())
        .forEach((tp, info) -> found.put(tp, info.offset()));
    return found;
  }

  /** The SCRAM users of the cluster: add, delete, list. */
  public ScramUsers scramUsers() {
    return new ScramUsers(calls);
  }

  /** The ACLs of the cluster: grant, revoke, list. */
  public KafkaAcls acls() {
    return new KafkaAcls(calls);
  }

  /** The per-user client quotas of the cluster: set, describe, remove, list. */
  public ClientQuotas quotas() {
    return new ClientQuotas(calls);
  }

  @Override
  public void close() {
    calls.close();
  }

  private TopicDescription describeExisting(String name) {
    try {
      return await(admin.describeTopics(List.of(name)).allTopicNames(), "describing topic " + name).get(name);
    } catch (KafkaAdminException e) {
      if (kind(e) == Kind.UNKNOWN_TOPIC) {
        throw unknownTopic(name, e.getCause());
      }
      throw e;
    }
  }

  private void awaitLeaders(String name) {
    long deadline = System.nanoTime() + apiTimeout.toNanos();
    while (true) {
      Optional<TopicDescription> description = Optional.empty();
      try {
        description = Optional.of(describeExisting(name));
      } catch (KafkaAdminException e) {
        if (System.nanoTime() >= deadline) {
          throw e;
        }
      }
      boolean ready = description.map(d -> d.partitions().stream()
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty())).orElse(false);
      if (ready) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new KafkaAdminException("topic " + name + " was created on " + bootstrapServers
            + " but its partitions have no leader after " + seconds(apiTimeout) + " s");
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private <T> T await(KafkaFuture<T> future, String action) {
    return calls.await(future, action);
  }

  private static Kind kind(KafkaAdminException error) {
    return error.kafkaProblem().map(KafkaProblem::kind).orElse(Kind.OTHER);
  }

  private KafkaProblem problem(KafkaAdminException error) {
    return error.kafkaProblem().orElseGet(() -> problem(Kind.OTHER, error.getMessage(), null));
  }

  private KafkaProblem problem(Kind kind, String message, String topic) {
    return new KafkaProblem(kind, message, bootstrapServers, topic, calls.user());
  }

  private KafkaAdminException unknownTopic(String name, Throwable cause) {
    return new KafkaAdminException(problem(Kind.UNKNOWN_TOPIC, "topic " + name + " does not exist on "
        + bootstrapServers, name), cause);
  }

  private KafkaAdminException unknownGroup(String group, Throwable cause) {
    return new KafkaAdminException(problem(Kind.UNKNOWN_GROUP, "consumer group " + group + " does not exist on "
        + bootstrapServers, null), cause);
  }

  private KafkaAdminException tooManyReplicas(String name, int replicationFactor, int brokerCount) {
    return new KafkaAdminException(problem(Kind.INVALID_REPLICATION_FACTOR, "cannot create topic " + name
        + " with replication factor " + replicationFactor + ": the cluster has only " + brokerCount
        + " broker(s); use a replication factor of at most " + brokerCount, name), null);
  }

  private static void validateName(String name) {
    try {
      Topic.validate(name);
    } catch (InvalidTopicException e) {
      throw new KafkaAdminException(new KafkaProblem(Kind.INVALID_TOPIC, "invalid topic name '" + name + "': "
          + e.getMessage(), null, name, null), e);
    }
  }

  private static long seconds(Duration duration) {
    return KafkaErrors.seconds(duration);
  }

  private static String rootMessage(Throwable error) {
    return KafkaErrors.rootMessage(error);
  }
}
