package org.fink.kafka.admin;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A topic to create: name, partitions, and optionally replication factor, retention (the cluster's defaults
 * otherwise: a local cluster of N brokers replicates min(3, N) times and keeps messages 7 days) and compaction.
 *
 * <pre>{@code
 * admin.createTopic(TopicSpec.named("fink_outstream").withPartitions(4).withReplicationFactor(3)
 *     .withRetention(Duration.ofHours(48)));
 * admin.createTopic(TopicSpec.named("fink_schemas").compacted()); // the latest message per key, kept
 * }</pre>
 *
 * @param name topic name
 * @param partitions partition count, at least 1
 * @param replicationFactor replicas per partition; empty: the cluster's {@code default.replication.factor}
 * @param retention how long messages are kept; empty: the cluster's {@code log.retention.*}
 * @param compact {@code cleanup.policy=compact}: the latest message of each key is kept (schema topics)
 */
public record TopicSpec(String name, int partitions, OptionalInt replicationFactor, Optional<Duration> retention,
    boolean compact) {
  public TopicSpec {
    if (partitions < 1) {
      throw new KafkaAdminException("cannot create topic " + name + ": partitions must be at least 1, not "
          + partitions);
    }
    if (replicationFactor.isPresent()
        && (replicationFactor.getAsInt() < 1 || replicationFactor.getAsInt() > Short.MAX_VALUE)) {
      throw new KafkaAdminException("cannot create topic " + name + ": replication factor must be at least 1, not "
          + replicationFactor.getAsInt());
    }
    if (retention.isPresent() && (retention.get().isNegative() || retention.get().isZero())) {
      throw new KafkaAdminException("cannot create topic " + name + ": retention must be positive, not "
          + retention.get());
    }
  }

  /** One partition, the cluster's replication factor and retention. */
  public static TopicSpec named(String name) {
    return new TopicSpec(name, 1, OptionalInt.empty(), Optional.empty(), false);
  }

  public TopicSpec withPartitions(int count) {
    return new TopicSpec(name, count, replicationFactor, retention, compact);
  }

  public TopicSpec withReplicationFactor(int factor) {
    return new TopicSpec(name, partitions, OptionalInt.of(factor), retention, compact);
  }

  public TopicSpec withRetention(Duration keep) {
    return new TopicSpec(name, partitions, replicationFactor, Optional.of(keep), compact);
  }

  /** Compacted: Kafka keeps the latest message of each key, whatever its age. */
  public TopicSpec compacted() {
    return new TopicSpec(name, partitions, replicationFactor, retention, true);
  }
}
