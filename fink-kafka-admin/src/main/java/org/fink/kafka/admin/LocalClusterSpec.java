package org.fink.kafka.admin;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where a {@link LocalKafkaCluster} lives: ports, data folder, broker count.
 *
 * <p>Port rule: broker {@code i} (1-based) listens for clients on {@code port + i - 1} and for the controller quorum
 * on {@code port + 1000 + i - 1}, all on 127.0.0.1. Broker {@code i} keeps its data in {@code dataDir/broker-i} and
 * writes its log to {@code dataDir/logs/broker-i.log}.
 *
 * <pre>{@code
 * LocalClusterSpec spec = new LocalClusterSpec(9092, Path.of("run/kafka"), 1);
 * spec.bootstrapServers();   // "127.0.0.1:9092"
 * spec.controllerPort(1);    // 10092
 * }</pre>
 *
 * @param port client port of the first broker
 * @param dataDir data and logs of the cluster
 * @param brokers number of brokers, each also a controller (KRaft combined mode)
 */
public record LocalClusterSpec(int port, Path dataDir, int brokers) {
  /** Distance between a broker's client port and its controller port. */
  public static final int CONTROLLER_PORT_OFFSET = 1000;
  /** Most brokers a local cluster may have. */
  public static final int MAX_BROKERS = 9;

  public LocalClusterSpec {
    if (brokers < 1 || brokers > MAX_BROKERS) {
      throw new IllegalArgumentException("a local Kafka cluster has 1 to " + MAX_BROKERS + " brokers, not " + brokers);
    }
    if (port < 1 || port + CONTROLLER_PORT_OFFSET + brokers - 1 > 65535) {
      throw new IllegalArgumentException("port " + port + " cannot be a local cluster's first port: it and "
          + (port + CONTROLLER_PORT_OFFSET + brokers - 1) + " (the last controller port) must be in 1..65535");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  public int clientPort(int nodeId) {
    return port + nodeId - 1;
  }

  public int controllerPort(int nodeId) {
    return port + CONTROLLER_PORT_OFFSET + nodeId - 1;
  }

  /** {@code 127.0.0.1:PORT,...} of all brokers. */
  public String bootstrapServers() {
    return IntStream.rangeClosed(1, brokers).mapToObj(id -> "127.0.0.1:" + clientPort(id))
        .collect(Collectors.joining(","));
  }

  /** The static controller quorum: {@code 1@127.0.0.1:CPORT,...}. */
  public String quorumVoters() {
    return IntStream.rangeClosed(1, brokers).mapToObj(id -> id + "@127.0.0.1:" + controllerPort(id))
        .collect(Collectors.joining(","));
  }

  public Path brokerDir(int nodeId) {
    return dataDir.resolve("broker-" + nodeId);
  }

  public Path logFile(int nodeId) {
    return dataDir.resolve("logs").resolve("broker-" + nodeId + ".log");
  }
}
