package org.fink.kafka.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-process Kafka node in KRaft combined mode (broker and controller), listening on 127.0.0.1 only.
 *
 * <p>Its storage is formatted on the first start and reused afterwards. Defaults suit one node in a small heap:
 * replication factor 1 for the internal topics, no automatic topic creation, a 2 MiB log-cleaner buffer.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).dataDir(Path.of("/tmp/kafka")).build()) {
 *   broker.start();
 *   String bootstrap = broker.bootstrapServers(); // "127.0.0.1:41234"
 * }
 * // in tests of other modules: one broker per JVM, closed at exit
 * String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
 * // security mode: SASL_PLAINTEXT/SCRAM-SHA-512, ACLs (StandardAuthorizer), one super user
 * EmbeddedKafkaBroker secure = EmbeddedKafkaBroker.builder().superUser("fink-admin", password).build().start();
 * Admin.create(secure.superUserClientProperties()) ...
 * }</pre>
 *
 * <p>In security mode the client listener speaks SASL_PLAINTEXT with SCRAM-SHA-512 (brokers talk to each other on it
 * as the super user, whose SCRAM credential is bootstrapped when the storage is formatted), the controller listener
 * SASL_PLAINTEXT with PLAIN and the super user only, and the standard authorizer denies what no ACL allows.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  static final String CLIENT_LISTENER = "PLAINTEXT";
  static final String SECURE_CLIENT_LISTENER = "SASL_PLAINTEXT";
  static final String TLS_CLIENT_LISTENER = "SASL_SSL";
  static final String CONTROLLER_LISTENER = "CONTROLLER";
  static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
  private static final String HOST = "127.0.0.1";

  private static EmbeddedKafkaBroker shared;

  private final int nodeId;
  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final boolean temporaryDataDir;
  private final String clusterIdHint;
  private final String quorumVoters;
  private final Map<String, String> extraProperties;
  private final Duration startTimeout;
  private final LocalSuperUser superUser;
  private final BrokerTls tls;
  private final boolean sharedInstance;
  private KafkaRaftServer server;
  private String clusterId;
  private boolean closed;

  private EmbeddedKafkaBroker(Builder builder, boolean sharedInstance) {
    this.nodeId = builder.nodeId;
    this.port = builder.port == 0 ? LoopbackPorts.pick() : builder.port;
    int cport = builder.controllerPort == 0 ? LoopbackPorts.pick() : builder.controllerPort;
    while (cport == this.port) {
      cport = LoopbackPorts.pick();
    }
    this.controllerPort = cport;
    this.temporaryDataDir = builder.dataDir == null;
    this.dataDir = temporaryDataDir ? createTempDir() : builder.dataDir.toAbsolutePath().normalize();
    this.clusterIdHint = builder.clusterId;
    this.quorumVoters = builder.quorumVoters == null
        ? nodeId + "@" + HOST + ":" + controllerPort : builder.quorumVoters;
    this.extraProperties = Map.copyOf(builder.properties);
    this.startTimeout = builder.startTimeout;
    this.superUser = builder.superUser;
    this.tls = builder.tls;
    if (tls != null && superUser == null) {
      throw new IllegalArgumentException("TLS mode needs security mode: give a super user too");
    }
    this.sharedInstance = sharedInstance;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The broker shared by all tests of this JVM: started on first use in a temporary folder on free ports, closed by a
   * shutdown hook ({@link #close()} on it does nothing). Kafka's exit and halt procedures are replaced so that a fatal
   * broker error throws instead of ending the JVM.
   */
  public static synchronized EmbeddedKafkaBroker shared() {
    if (shared == null) {
      Exit.setExitProcedure((status, message) -> {
        throw new IllegalStateException("Kafka asked to exit the JVM (status " + status + "): " + message);
      });
      Exit.setHaltProcedure((status, message) -> {
        throw new IllegalStateException("Kafka asked to halt the JVM (status " + status + "): " + message);
      });
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(builder(), true);
      try {
        broker.start();
      } catch (RuntimeException e) {
        broker.shutdown();
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(broker::shutdown, "shared-kafka-broker-shutdown"));
      shared = broker;
    }
    return shared;
  }

  /**
   * Formats the storage if needed, starts the node and returns once it answers clients.
   *
   * @throws IllegalStateException if it does not start or answer within the start timeout (60 s by default)
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (closed) {
      throw new IllegalStateException("this broker was closed; build a new one");
    }
    if (server != null) {
      return this;
    }
    long begin = System.nanoTime();
    clusterId = new KraftStorage(dataDir).formatIfNeeded(nodeId, clusterIdHint, CONTROLLER_LISTENER,
        superUser == null ? List.of() : List.of(superUser.scramBootstrapArgument()));
    try {
      server = new KafkaRaftServer(new KafkaConfig(brokerProperties(), false), Time.SYSTEM);
      server.startup();
      try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(bootstrapServers(), superUserClientProperties())) {
        admin.awaitReachable(startTimeout);
      }
    } catch (RuntimeException e) {
      stopServer();
      throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " (data " + dataDir
          + ") did not start: " + e.getMessage(), e);
    }
    LOG.info("Kafka broker {} answering on {} after {} ms (data {}{})", nodeId, bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - begin).toMillis(), dataDir,
        superUser == null ? "" : "; " + clientListener() + "/SCRAM-SHA-512, ACLs, super user " + superUser.name());
    return this;
  }

  /** The node's configuration: defaults for one small node, then the properties given to the builder. */
  Properties brokerProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(nodeId));
    props.put("controller.quorum.voters", quorumVoters);
    String client = clientListener();
    props.put("listeners", client + "://" + HOST + ":" + port + ","
        + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    props.put("advertised.listeners", client + "://" + HOST + ":" + port);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", client);
    if (superUser == null) {
      props.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    } else {
      putSecurity(props);
    }
    props.put("log.dirs", dataDir.toString());
    props.put("metadata.log.dir", dataDir.toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.putAll(extraProperties);
    Properties properties = new Properties();
    properties.putAll(props);
    return properties;
  }

  private String clientListener() {
    return superUser == null ? CLIENT_LISTENER : tls == null ? SECURE_CLIENT_LISTENER : TLS_CLIENT_LISTENER;
  }

  /**
   * SASL listeners (over TLS in TLS mode, the controller's too), SCRAM between brokers, PLAIN on the controller
   * listener, the standard authorizer.
   */
  private void putSecurity(Map<String, String> props) {
    String client = clientListener().toLowerCase(Locale.ROOT);
    String controller = CONTROLLER_LISTENER.toLowerCase(Locale.ROOT);
    String protocol = tls == null ? SaslLogin.PROTOCOL : SaslLogin.TLS_PROTOCOL;
    props.put("listener.security.protocol.map", clientListener() + ":" + protocol + ","
        + CONTROLLER_LISTENER + ":" + protocol);
    if (tls != null) {
      tls.putBrokerProperties(props);
    }
    props.put("sasl.enabled.mechanisms", SaslLogin.SCRAM_MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", SaslLogin.SCRAM_MECHANISM);
    props.put("listener.name." + client + "." + SaslLogin.SCRAM_MECHANISM.toLowerCase(Locale.ROOT)
        + ".sasl.jaas.config", SaslLogin.scram(superUser.name(), superUser.password()));
    props.put("sasl.mechanism.controller.protocol", SaslLogin.CONTROLLER_MECHANISM);
    props.put("listener.name." + controller + ".sasl.enabled.mechanisms", SaslLogin.CONTROLLER_MECHANISM);
    props.put("listener.name." + controller + "." + SaslLogin.CONTROLLER_MECHANISM.toLowerCase(Locale.ROOT)
        + ".sasl.jaas.config", SaslLogin.plainController(superUser.name(), superUser.password()));
    props.put("authorizer.class.name", AUTHORIZER);
    props.put("super.users", "User:" + superUser.name());
    props.put("allow.everyone.if.no.acl.found", "false");
  }

  /** Whether the node runs in security mode (SASL, ACLs). */
  public boolean isSecure() {
    return superUser != null;
  }

  /** Whether the listeners speak TLS (SASL_SSL). */
  public boolean isTls() {
    return tls != null;
  }

  /**
   * Client properties to log in as the super user (SASL_PLAINTEXT, or SASL_SSL trusting the broker's CA, with
   * SCRAM-SHA-512); empty when the node is not in security mode. They hold the password: give them to a Kafka client
   * only.
   */
  public Properties superUserClientProperties() {
    return superUser == null ? new Properties() : superUser.clientProperties(tls);
  }

  /** {@code "127.0.0.1:PORT"}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public int nodeId() {
    return nodeId;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The cluster id in the storage; null before the first {@link #start()}. */
  public synchronized String clusterId() {
    return clusterId;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Shuts the node down and waits for it; a temporary data folder is deleted. Does nothing on {@link #shared()}. */
  @Override
  public void close() {
    if (sharedInstance) {
      LOG.debug("close() on the shared broker ignored: it is closed when the JVM exits");
      return;
    }
    shutdown();
  }

  private synchronized void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    stopServer();
    if (temporaryDataDir) {
      deleteRecursively(dataDir);
    }
  }

  private void stopServer() {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    try {
      stopping.shutdown();
      stopping.awaitShutdown();
      LOG.info("Kafka broker {} on {} stopped", nodeId, bootstrapServers());
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker {} on {} did not shut down cleanly: {}", nodeId, bootstrapServers(), e.toString());
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("fink-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for Kafka", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }

  /** Settings of an {@link EmbeddedKafkaBroker}; every one has a default. */
  public static final class Builder {
    private int nodeId = 1;
    private int port;
    private int controllerPort;
    private Path dataDir;
    private String clusterId;
    private String quorumVoters;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(60);
    private LocalSuperUser superUser;
    private BrokerTls tls;

    private Builder() {
    }

    /**
     * TLS mode (with {@link #superUser}): SASL_SSL on the client listener and the controller listener, the key and
     * certificate of broker {@code nodeId} made by {@code ca}, which the broker also trusts for its own connections.
     */
    public Builder tls(LocalCertificateAuthority ca, int brokerId) {
      this.tls = BrokerTls.of(ca, brokerId);
      return this;
    }

    /**
     * Security mode: SASL_PLAINTEXT listeners with SCRAM-SHA-512, the standard ACL authorizer, and this super user
     * (its SCRAM credential is bootstrapped when the storage is first formatted). Without it (the default): PLAINTEXT,
     * no ACLs.
     */
    public Builder superUser(String name, String password) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("super user name must be letters, digits, '.', '_' or '-', not '" + name
            + "'");
      }
      if (password == null || password.isEmpty() || password.contains(",") || password.contains("]")) {
        throw new IllegalArgumentException("the super user's password must be non-empty, without ',' or ']'");
      }
      this.superUser = new LocalSuperUser(name, password);
      return this;
    }

    /** Client port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = checkPort(port);
      return this;
    }

    /** Controller (KRaft quorum) port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort);
      return this;
    }

    /** Log and metadata folder, formatted on first start; default: a temporary folder deleted on close. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Node id (default 1). */
    public Builder nodeId(int nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    /** Cluster id written when the storage is formatted (default: random); ignored for formatted storage. */
    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    /** Static controller quorum, {@code id@host:port,...}; default: this node alone. */
    public Builder quorumVoters(String quorumVoters) {
      this.quorumVoters = quorumVoters;
      return this;
    }

    /** Any Kafka broker setting; wins over the defaults. */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** How long {@link #start()} waits for the node to answer (default 60 s). */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this, false);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
      }
      return port;
    }
  }
}
