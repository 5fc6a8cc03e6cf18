package org.fink.kafka.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where a {@link LocalKafkaCluster} lives: ports, data folder, broker count, security mode.
 *
 * <p>Port rule: broker {@code i} (1-based) listens for clients on {@code port + i - 1} and for the controller quorum
 * on {@code port + 1000 + i - 1}, all on 127.0.0.1. Broker {@code i} keeps its data in {@code dataDir/broker-i} and
 * writes its log to {@code dataDir/logs/broker-i.log}. Replication defaults follow the broker count: topics get
 * {@link #replicationFactor()} = min(3, N) replicas and need {@link #minInsyncReplicas()} = min(2, N) of them in sync
 * to accept a write with {@code acks=all}.
 *
 * <pre>{@code
 * LocalClusterSpec spec = new LocalClusterSpec(9092, Path.of("run/kafka"), 3);
 * spec.bootstrapServers();   // "127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094"
 * spec.controllerPort(1);    // 10092
 * spec.replicationFactor();  // 3
 * LocalClusterSpec secure = new LocalClusterSpec(9092, Path.of("run/kafka"), 3, true); // SASL, ACLs
 * LocalClusterSpec tls = secure.withTls(List.of("kafka.example.org"));                   // SASL_SSL too
 * }</pre>
 *
 * @param port client port of the first broker
 * @param dataDir data and logs of the cluster
 * @param brokers number of brokers, each also a controller (KRaft combined mode)
 * @param secure security mode: SASL_PLAINTEXT listeners with SCRAM-SHA-512, ACLs, a generated super user
 * @param tls TLS mode (with {@code secure}): SASL_SSL listeners, certificates of a private CA
 *     ({@link LocalCertificateAuthority})
 * @param tlsNames extra host names or IP addresses the brokers' certificates name (for clients that reach them by
 *     other names than localhost, 127.0.0.1 and the machine's host name)
 */
public record LocalClusterSpec(int port, Path dataDir, int brokers, boolean secure, boolean tls,
    List<String> tlsNames) {
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
    if (tls && !secure) {
      throw new IllegalArgumentException("TLS mode goes with security mode (SASL_SSL)");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    tlsNames = List.copyOf(tlsNames);
  }

  /** A cluster with or without security mode (SASL_PLAINTEXT), without TLS. */
  public LocalClusterSpec(int port, Path dataDir, int brokers, boolean secure) {
    this(port, dataDir, brokers, secure, false, List.of());
  }

  /** The same cluster in TLS mode (SASL_SSL, hence security mode), its certificates naming also {@code names}. */
  public LocalClusterSpec withTls(List<String> names) {
    return new LocalClusterSpec(port, dataDir, brokers, true, true, names);
  }

  /** A cluster without security (PLAINTEXT, no ACLs). */
  public LocalClusterSpec(int port, Path dataDir, int brokers) {
    this(port, dataDir, brokers, false);
  }

  /**
   * A first client port for a local cluster of {@code brokers} brokers whose client ports and controller ports
   * (+{@value #CONTROLLER_PORT_OFFSET}) are all free on the loopback address now (another process may still take
   * one before the brokers do).
   */
  public static int freePort(int brokers) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = LoopbackPorts.pick();
      if (port + CONTROLLER_PORT_OFFSET + brokers > 65535) {
        continue;
      }
      boolean free = true;
      for (int i = 0; i < brokers && free; i++) {
        free = (i == 0 || LoopbackPorts.isFree(port + i)) && LoopbackPorts.isFree(port + CONTROLLER_PORT_OFFSET + i);
      }
      if (free) {
        return port;
      }
    }
    throw new IllegalStateException("no free range of " + brokers + " client and controller ports on 127.0.0.1");
  }

  public int clientPort(int nodeId) {
    return port + nodeId - 1;
  }

  public int controllerPort(int nodeId) {
    return port + CONTROLLER_PORT_OFFSET + nodeId - 1;
  }

  /** Default replication factor of topics, internal ones included: min(3, brokers). */
  public int replicationFactor() {
    return Math.min(3, brokers);
  }

  /** {@code min.insync.replicas} of topics: min(2, brokers). */
  public int minInsyncReplicas() {
    return Math.min(2, brokers);
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

  /** The same cluster with another broker count and security mode (what its data folder was created as). */
  LocalClusterSpec as(int brokerCount, boolean secureMode) {
    return new LocalClusterSpec(port, dataDir, brokerCount, secureMode, secureMode && tls, tlsNames);
  }
}
