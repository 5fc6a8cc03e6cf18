package org.fink.kafka.admin;

import org.apache.kafka.common.Uuid;

/**
 * Starts the broker processes of a {@link LocalKafkaCluster}, detached from the caller so that they outlive it: the
 * bundled broker ({@link BrokerProcessLauncher}) or an Apache Kafka installation's scripts ({@link KafkaHomeLauncher}).
 */
interface BrokerLauncher {
  /** Starts broker {@code nodeId} of the cluster (formatting its storage first if needed); does not wait for it. */
  Process launch(LocalClusterSpec spec, int nodeId, String clusterId);

  /** A new KRaft cluster id, for the first start of the cluster {@code spec} describes. */
  default String newClusterId(LocalClusterSpec spec) {
    return Uuid.randomUuid().toString();
  }

  /** Whether the brokers can run in security mode (SASL, ACLs, a super user). */
  default boolean supportsSecurity() {
    return true;
  }

  /** What runs the brokers, for messages: "the bundled Kafka 4.3.1", "Apache Kafka 3.9.1 in /opt/kafka". */
  String describe();
}
