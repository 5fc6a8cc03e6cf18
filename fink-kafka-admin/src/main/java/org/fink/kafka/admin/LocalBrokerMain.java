package org.fink.kafka.admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link EmbeddedKafkaBroker} of a {@link LocalKafkaCluster} until the process is told to stop (SIGTERM),
 * then shuts it down cleanly. {@link LocalKafkaCluster} forks one JVM per broker with this main class.
 *
 * <pre>
 * java -cp ... org.fink.kafka.admin.LocalBrokerMain --node-id=1 --port=9092 --controller-port=10092 \
 *     --data=run/kafka/broker-1 [--cluster-id=ID] [--voters=1@127.0.0.1:10092] [--replication=1] \
 *     [--min-insync-replicas=1] [--super-user-file=run/kafka/super-user.properties] [--tls-dir=run/kafka/tls]
 * </pre>
 *
 * <p>{@code --replication} is the default replication factor of topics, internal ones included;
 * {@code --min-insync-replicas} applies to all of them. {@code --super-user-file} turns on security mode: the super
 * user's name and password are read from that file (never from the command line, which other users can see).
 * {@code --tls-dir} (with it) turns on TLS: the broker's key store and its password are read from that folder
 * ({@link LocalCertificateAuthority}).
 */
public final class LocalBrokerMain {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBrokerMain.class);

  private LocalBrokerMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> options = parse(args);
    int nodeId = Integer.parseInt(required(options, "node-id"));
    String replication = options.getOrDefault("replication", "1");
    String minInsync = options.getOrDefault("min-insync-replicas", "1");
    EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder()
        .nodeId(nodeId)
        .port(Integer.parseInt(required(options, "port")))
        .controllerPort(Integer.parseInt(required(options, "controller-port")))
        .dataDir(Path.of(required(options, "data")))
        .clusterId(options.get("cluster-id"))
        .quorumVoters(options.get("voters"))
        .startTimeout(Duration.ofSeconds(Long.parseLong(options.getOrDefault("start-timeout-seconds", "120"))));
    withReplication(builder, replication, minInsync);
    String superUserFile = options.get("super-user-file");
    if (superUserFile != null) {
      Path file = Path.of(superUserFile);
      LocalSuperUser superUser = LocalSuperUser.load(file.getParent()).filter(u -> file.getFileName().toString()
          .equals(LocalSuperUser.FILE_NAME)).orElseThrow(() -> new IllegalArgumentException(
              "no super user file " + file + " (" + LocalSuperUser.FILE_NAME + " in the cluster's data folder)"));
      builder.superUser(superUser.name(), superUser.password());
    }
    String tlsDir = options.get("tls-dir");
    if (tlsDir != null) {
      builder.tls(LocalCertificateAuthority.loadDir(Path.of(tlsDir)), nodeId);
    }
    EmbeddedKafkaBroker broker = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Kafka broker {}: stop requested, shutting down", nodeId);
      broker.close();
      stopped.countDown();
    }, "local-broker-shutdown"));
    try {
      broker.start();
    } catch (RuntimeException e) {
      LOG.error("Kafka broker {} failed to start: {}", nodeId, e.getMessage(), e);
      System.exit(1);
    }
    LOG.info("Kafka broker {} ready on {} (pid {})", nodeId, broker.bootstrapServers(), ProcessHandle.current().pid());
    stopped.await();
  }

  /**
   * The replication settings of a local cluster's brokers: {@code replication} replicas for topics, internal ones
   * included, {@code minInsync} of them in sync to accept a write.
   */
  static EmbeddedKafkaBroker.Builder withReplication(EmbeddedKafkaBroker.Builder builder, String replication,
      String minInsync) {
    return builder
        .property("offsets.topic.replication.factor", replication)
        .property("transaction.state.log.replication.factor", replication)
        .property("share.coordinator.state.topic.replication.factor", replication)
        .property("default.replication.factor", replication)
        .property("min.insync.replicas", minInsync)
        .property("transaction.state.log.min.isr", minInsync)
        .property("share.coordinator.state.topic.min.isr", minInsync);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return value;
  }
}
