package org.fink.kafka.admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Kafka cluster running in the background, one JVM per broker ({@link LocalBrokerMain}), that outlives the
 * program which started it: what {@code fink_kafka start/stop/status} manage.
 *
 * <p>Which processes run is recorded in {@code dataDir/local-cluster.state}; broker logs go to
 * {@code dataDir/logs/broker-N.log}. Ports follow {@link LocalClusterSpec}'s rule. Each broker is also a controller
 * (KRaft combined mode); with N brokers the controller quorum has N voters. Starting a running cluster whose brokers
 * have partly died starts the dead ones again, on the same ports and data.
 *
 * <p>By default the brokers are the bundled Kafka, one JVM each ({@link LocalBrokerMain}); {@link #withKafkaHome}
 * runs them with an Apache Kafka installation's scripts instead (what {@code KAFKA_HOME} selects), with the same
 * ports, folders, state file, status and stop.
 *
 * <p>In security mode the brokers listen with SASL_PLAINTEXT (SCRAM-SHA-512) and check ACLs; a super user, generated
 * at the first start, is kept in {@code dataDir/super-user.properties} (owner-only): {@link #superUserClientProperties()}
 * logs in as it. In TLS mode ({@link LocalClusterSpec#tls()}) the listeners speak SASL_SSL, with certificates of a
 * private CA made at the first start in {@code dataDir/tls/} ({@link LocalCertificateAuthority}).
 *
 * <pre>{@code
 * LocalKafkaCluster cluster = new LocalKafkaCluster(new LocalClusterSpec(9092, Path.of("run/kafka"), 3, true));
 * String servers = cluster.start().bootstrapServers(); // "127.0.0.1:9092,..."; idempotent
 * cluster.status().forEach(b -> System.out.println(b.describe()));
 * try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers, cluster.superUserClientProperties())) { ... }
 * cluster.stop();                                      // nothing left running
 * }</pre>
 */
public final class LocalKafkaCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 20;

  private final LocalClusterSpec spec;
  private final BrokerLauncher launcher;

  /** A cluster whose brokers run with this JVM's java binary and classpath (the bundled broker). */
  public LocalKafkaCluster(LocalClusterSpec spec) {
    this(spec, BrokerProcessLauncher.forCurrentJvm());
  }

  LocalKafkaCluster(LocalClusterSpec spec, BrokerLauncher launcher) {
    this.spec = spec;
    this.launcher = launcher;
  }

  /**
   * A cluster whose brokers run with the scripts of an Apache Kafka installation (3.3 or later, KRaft mode):
   * {@code bin/kafka-storage.sh} formats their storage, {@code bin/kafka-server-start.sh} runs them, with a
   * {@code server.properties} generated in {@code dataDir/config/}. Ports, data folder, state file, status and stop
   * are those of the bundled broker; security mode is not available (it needs the bundled broker). The folder is
   * checked when brokers start.
   *
   * <pre>{@code
   * LocalKafkaCluster cluster = LocalKafkaCluster.withKafkaHome(spec, Path.of("/opt/kafka_2.13-4.1.0"));
   * cluster.start();   // "Apache Kafka 4.1.0 from KAFKA_HOME=/opt/kafka_2.13-4.1.0"
   * }</pre>
   */
  public static LocalKafkaCluster withKafkaHome(LocalClusterSpec spec, Path kafkaHome) {
    return new LocalKafkaCluster(spec, new KafkaHomeLauncher(kafkaHome));
  }

  /**
   * What runs the brokers: {@code "the bundled Kafka 4.3.1"} or
   * {@code "Apache Kafka 4.1.0 from KAFKA_HOME=/opt/kafka"}.
   */
  public String brokerSource() {
    return launcher.describe();
  }

  public LocalClusterSpec spec() {
    return spec;
  }

  /** Bootstrap servers of this cluster, per the spec. */
  public String bootstrapServers() {
    return spec.bootstrapServers();
  }

  /**
   * Starts the brokers in the background and waits until all answer. If the cluster runs already, only waits until it
   * answers; if some of its brokers died, starts those again.
   *
   * @throws KafkaAdminException if a port is taken, a broker dies or does not answer in time (with its log's tail)
   * @throws IllegalStateException if the data folder was created with another broker count or security mode
   */
  public synchronized LocalClusterStart start() {
    Optional<RunningBrokers> previous = RunningBrokers.read(spec.dataDir());
    if (previous.isPresent()) {
      RunningBrokers running = previous.get();
      List<RunningBrokers.Broker> dead = running.brokers().stream().filter(b -> !b.isAlive()).toList();
      if (dead.isEmpty()) {
        awaitAnswering(running, Map.of());
        LOG.info("local Kafka cluster already running on {}", running.bootstrapServers());
        return new LocalClusterStart(running.bootstrapServers(), List.of(), running.brokers().size());
      }
      if (dead.size() < running.brokers().size()) {
        return restart(running, dead);
      }
      LOG.warn("the local Kafka cluster in {} was not stopped cleanly (some broker processes are gone); cleaning up and starting it again",
          spec.dataDir());
      stopProcesses(running);
      RunningBrokers.delete(spec.dataDir());
    }
    checkSecuritySupported(spec.secure() || ClusterIdentity.read(spec.dataDir()).map(ClusterIdentity::secure)
        .orElse(false));
    checkPortsFree(spec, IntStream.rangeClosed(1, spec.brokers()).boxed().toList());
    ClusterIdentity identity = ClusterIdentity.loadOrCreate(spec, () -> launcher.newClusterId(spec));
    if (identity.tls()) {
      LocalCertificateAuthority.loadOrCreate(spec.dataDir(), spec.brokers(), spec.tlsNames());
    }
    Map<Integer, Process> processes = new LinkedHashMap<>();
    List<RunningBrokers.Broker> brokers = new ArrayList<>();
    for (int id = 1; id <= spec.brokers(); id++) {
      try {
        Process process = launcher.launch(spec, id, identity.clusterId());
        processes.put(id, process);
        brokers.add(new RunningBrokers.Broker(id, process.pid(), spec.clientPort(id), spec.controllerPort(id)));
      } catch (RuntimeException e) {
        stopProcesses(new RunningBrokers(spec.bootstrapServers(), brokers));
        throw e;
      }
    }
    RunningBrokers state = new RunningBrokers(spec.bootstrapServers(), brokers);
    state.write(spec.dataDir());
    try {
      awaitAnswering(state, processes);
    } catch (RuntimeException e) {
      stopProcesses(state);
      RunningBrokers.delete(spec.dataDir());
      throw e;
    }
    LOG.info("local Kafka cluster started on {} (data {}{})", state.bootstrapServers(), spec.dataDir(),
        spec.tls() ? "; security mode with TLS" : spec.secure() ? "; security mode" : "");
    return new LocalClusterStart(state.bootstrapServers(), processes.keySet().stream().toList(), spec.brokers());
  }

  /** Starts the dead brokers of a running cluster again, as the cluster was created, on their recorded ports. */
  private LocalClusterStart restart(RunningBrokers running, List<RunningBrokers.Broker> dead) {
    ClusterIdentity identity = ClusterIdentity.read(spec.dataDir()).orElseThrow(() -> new IllegalStateException(
        "the local Kafka cluster in " + spec.dataDir() + " has no " + ClusterIdentity.FILE_NAME
            + ": stop the local cluster, then start it again"));
    LocalClusterSpec recorded = new LocalClusterSpec(running.brokers().get(0).port(), spec.dataDir(),
        identity.brokers(), identity.secure(), identity.tls(), spec.tlsNames());
    checkSecuritySupported(recorded.secure());
    if (recorded.tls()) {
      LocalCertificateAuthority.loadOrCreate(spec.dataDir(), recorded.brokers(), recorded.tlsNames());
    }
    List<Integer> ids = dead.stream().map(RunningBrokers.Broker::nodeId).toList();
    checkPortsFree(recorded, ids);
    Map<Integer, Process> processes = new LinkedHashMap<>();
    List<RunningBrokers.Broker> brokers = new ArrayList<>(running.brokers());
    for (RunningBrokers.Broker broker : dead) {
      LOG.info("Kafka broker {} (pid {}) is not running; starting it again", broker.nodeId(), broker.pid());
      Process process = launcher.launch(recorded, broker.nodeId(), identity.clusterId());
      processes.put(broker.nodeId(), process);
      brokers.set(broker.nodeId() - 1, new RunningBrokers.Broker(broker.nodeId(), process.pid(), broker.port(),
          broker.controllerPort()));
    }
    RunningBrokers state = new RunningBrokers(running.bootstrapServers(), brokers);
    state.write(spec.dataDir());
    awaitAnswering(state, processes);
    LOG.info("local Kafka cluster on {}: broker(s) {} started again", state.bootstrapServers(), ids);
    return new LocalClusterStart(state.bootstrapServers(), ids, brokers.size());
  }

  /**
   * Stops the brokers (SIGTERM, then SIGKILL after 60 s) and waits until they are gone.
   *
   * @return true if something was running, false if the cluster was not running (not an error)
   */
  public synchronized boolean stop() {
    Optional<RunningBrokers> running = RunningBrokers.read(spec.dataDir());
    if (running.isEmpty()) {
      LOG.info("no local Kafka cluster running in {}", spec.dataDir());
      return false;
    }
    boolean anyAlive = stopProcesses(running.get());
    RunningBrokers.delete(spec.dataDir());
    return anyAlive;
  }

  /** Each recorded broker: pid, port, whether it runs and answers; empty when the cluster is not running. */
  public List<BrokerStatus> status() {
    Optional<RunningBrokers> running = RunningBrokers.read(spec.dataDir());
    if (running.isEmpty()) {
      return List.of();
    }
    List<BrokerStatus> statuses = new ArrayList<>();
    Properties login = superUserClientProperties();
    for (RunningBrokers.Broker broker : running.get().brokers()) {
      boolean alive = broker.isAlive();
      statuses.add(new BrokerStatus(broker.nodeId(), broker.pid(), broker.port(), alive,
          alive && answers(broker.port(), login)));
    }
    return statuses;
  }

  /** Whether the cluster's data folder was created in security mode (else: whether the spec asks for it). */
  public boolean isSecure() {
    return ClusterIdentity.read(spec.dataDir()).map(ClusterIdentity::secure).orElse(spec.secure());
  }

  /** The file holding the super user's name and password (security mode), readable by its owner only. */
  public Path superUserFile() {
    return LocalSuperUser.file(spec.dataDir());
  }

  /** Whether the cluster's data folder was created in TLS mode (else: whether the spec asks for it). */
  public boolean isTls() {
    return ClusterIdentity.read(spec.dataDir()).map(ClusterIdentity::tls).orElse(spec.tls());
  }

  /**
   * The private certificate authority of a cluster in TLS mode (its CA certificate files for clients, the expiry of
   * each certificate); empty when the cluster is not in TLS mode or was never started.
   */
  public Optional<LocalCertificateAuthority> certificateAuthority() {
    return isTls() && LocalCertificateAuthority.exists(spec.dataDir())
        ? Optional.of(LocalCertificateAuthority.load(spec.dataDir())) : Optional.empty();
  }

  /**
   * Client properties to log in as the cluster's super user (SASL_PLAINTEXT, or SASL_SSL trusting the cluster's CA,
   * with SCRAM-SHA-512); empty when the cluster is not in security mode or was never started. They hold its password:
   * give them to a Kafka client only.
   */
  public Properties superUserClientProperties() {
    if (!isSecure()) {
      return new Properties();
    }
    Properties login = LocalSuperUser.load(spec.dataDir()).map(LocalSuperUser::clientProperties)
        .orElseGet(Properties::new);
    if (!login.isEmpty() && isTls()) {
      login.put("security.protocol", SaslLogin.TLS_PROTOCOL);
      certificateAuthority().ifPresent(ca -> login.putAll(ca.clientTrustProperties()));
    }
    return login;
  }

  /** The super user's name, if the cluster is in security mode and was started once. */
  public Optional<String> superUserName() {
    return isSecure() ? LocalSuperUser.load(spec.dataDir()).map(LocalSuperUser::name) : Optional.empty();
  }

  /**
   * Whether {@code bootstrapServers} ({@code host:port,...}) names only brokers of this cluster: loopback addresses
   * with client ports of its brokers.
   */
  public boolean serves(String bootstrapServers) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      return false;
    }
    int brokers = ClusterIdentity.read(spec.dataDir()).map(ClusterIdentity::brokers).orElse(spec.brokers());
    for (String address : bootstrapServers.split(",")) {
      String trimmed = address.strip();
      int colon = trimmed.lastIndexOf(':');
      if (colon < 0) {
        return false;
      }
      String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(trimmed.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
      boolean loopback = host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1");
      if (!loopback || port < spec.port() || port >= spec.port() + brokers) {
        return false;
      }
    }
    return true;
  }

  /** Whether the state file names broker processes that all still run. */
  public boolean isRunning() {
    return RunningBrokers.read(spec.dataDir())
        .map(r -> r.brokers().stream().allMatch(RunningBrokers.Broker::isAlive)).orElse(false);
  }

  private void checkSecuritySupported(boolean secure) {
    if (secure && !launcher.supportsSecurity()) {
      throw new KafkaAdminException("security mode (DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT or SASL_SSL: SASL"
          + " listeners,"
          + " ACLs, a generated super user) needs the bundled broker, not " + launcher.describe() + ": leave"
          + " KAFKA_HOME empty to use the bundled broker, or run your Kafka with your own security settings and set"
          + " DISTRIBUTION_SERVERS to it");
    }
  }

  private static void checkPortsFree(LocalClusterSpec spec, List<Integer> nodeIds) {
    for (int id : nodeIds) {
      checkPortFree(spec.clientPort(id), "client port of broker " + id);
      checkPortFree(spec.controllerPort(id), "controller port of broker " + id);
    }
  }

  private static void checkPortFree(int port, String role) {
    if (!LoopbackPorts.isFree(port)) {
      throw new KafkaAdminException("port " + port + " (" + role + ") is already in use by another program:"
          + " stop it or choose another KAFKA_LOCAL_PORT (controller ports are client ports + "
          + LocalClusterSpec.CONTROLLER_PORT_OFFSET + ")");
    }
  }

  /** Waits until every broker answers; fails early if one of {@code launched} (by node id) exits. */
  private void awaitAnswering(RunningBrokers state, Map<Integer, Process> launched) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(state.bootstrapServers(), superUserClientProperties())) {
      while (true) {
        for (Map.Entry<Integer, Process> entry : launched.entrySet()) {
          Process process = entry.getValue();
          if (!process.isAlive()) {
            int id = entry.getKey();
            throw new KafkaAdminException("Kafka broker " + id + " exited with status " + process.exitValue()
                + " before answering; last lines of " + spec.logFile(id) + ":\n"
                + BrokerProcessLauncher.tail(spec.logFile(id), LOG_TAIL_LINES));
          }
        }
        if (allAnswer(admin, state.brokers().size()) && launchedAnswer(state, launched.keySet())) {
          return;
        }
        if (System.nanoTime() >= deadline) {
          int id = launched.isEmpty() ? 1 : launched.keySet().iterator().next();
          throw new KafkaAdminException("the local Kafka cluster on " + state.bootstrapServers()
              + " did not answer within " + START_TIMEOUT.toSeconds() + " s; last lines of " + spec.logFile(id)
              + ":\n" + BrokerProcessLauncher.tail(spec.logFile(id), LOG_TAIL_LINES));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
  }

  private static boolean allAnswer(FinkKafkaAdmin admin, int brokerCount) {
    try {
      admin.awaitReachable(Duration.ofSeconds(1));
      return admin.brokers().size() >= brokerCount;
    } catch (KafkaAdminException e) {
      LOG.debug("local cluster not answering yet: {}", e.getMessage());
      return false;
    }
  }

  /** Whether each newly launched broker answers on its own port (the cluster may still list a dead one's twin). */
  private boolean launchedAnswer(RunningBrokers state, Set<Integer> launched) {
    Properties login = superUserClientProperties();
    return state.brokers().stream().filter(b -> launched.contains(b.nodeId()))
        .allMatch(b -> answers(b.port(), login));
  }

  private static boolean answers(int port, Properties login) {
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect("127.0.0.1:" + port, login)) {
      admin.awaitReachable(Duration.ofSeconds(3));
      return true;
    } catch (KafkaAdminException e) {
      return false;
    }
  }

  /** SIGTERM to every live broker, waits, SIGKILL to the stubborn; returns whether any was alive. */
  private boolean stopProcesses(RunningBrokers state) {
    List<ProcessHandle> alive = new ArrayList<>();
    for (RunningBrokers.Broker broker : state.brokers()) {
      broker.process().ifPresent(process -> {
        LOG.info("stopping Kafka broker {} (pid {})", broker.nodeId(), broker.pid());
        process.destroy();
        alive.add(process);
      });
    }
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle process : alive) {
      if (!awaitExit(process, deadline)) {
        LOG.warn("Kafka broker pid {} did not stop within {} s; killing it", process.pid(), STOP_TIMEOUT.toSeconds());
        process.destroyForcibly();
        if (!awaitExit(process, System.nanoTime() + KILL_TIMEOUT.toNanos())) {
          throw new KafkaAdminException("Kafka broker pid " + process.pid() + " survived SIGKILL; stop it by hand");
        }
      }
    }
    for (RunningBrokers.Broker broker : state.brokers()) {
      long portDeadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
      while (LoopbackPorts.isListening(broker.port()) && System.nanoTime() < portDeadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
    return !alive.isEmpty();
  }

  private static boolean awaitExit(ProcessHandle process, long deadlineNanos) {
    long remaining = deadlineNanos - System.nanoTime();
    try {
      process.onExit().get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAdminException("interrupted while stopping Kafka broker pid " + process.pid(), e);
    }
  }
}
