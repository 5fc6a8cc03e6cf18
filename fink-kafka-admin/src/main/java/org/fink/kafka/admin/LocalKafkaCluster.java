package org.fink.kafka.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Kafka cluster running in the background, one JVM per broker ({@link LocalBrokerMain}), that outlives the
 * program which started it: what {@code fink_kafka start/stop/status} manage.
 *
 * <p>Which processes run is recorded in {@code dataDir/local-cluster.state}; broker logs go to
 * {@code dataDir/logs/broker-N.log}. Ports follow {@link LocalClusterSpec}'s rule. Each broker is also a controller
 * (KRaft combined mode); with N brokers the controller quorum has N voters.
 *
 * <pre>{@code
 * LocalKafkaCluster cluster = new LocalKafkaCluster(new LocalClusterSpec(9092, Path.of("run/kafka"), 1));
 * String servers = cluster.start().bootstrapServers(); // "127.0.0.1:9092"; idempotent
 * cluster.status().forEach(b -> System.out.println(b.describe()));
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
  private final BrokerProcessLauncher launcher;

  /** A cluster whose brokers run with this JVM's java binary and classpath. */
  public LocalKafkaCluster(LocalClusterSpec spec) {
    this(spec, BrokerProcessLauncher.forCurrentJvm());
  }

  LocalKafkaCluster(LocalClusterSpec spec, BrokerProcessLauncher launcher) {
    this.spec = spec;
    this.launcher = launcher;
  }

  public LocalClusterSpec spec() {
    return spec;
  }

  /** Bootstrap servers of this cluster, per the spec. */
  public String bootstrapServers() {
    return spec.bootstrapServers();
  }

  /**
   * Starts the brokers in the background and waits until all answer; if the cluster runs already, only waits until
   * it answers.
   *
   * @throws KafkaAdminException if a port is taken, a broker dies or does not answer in time (with its log's tail)
   */
  public synchronized LocalClusterStart start() {
    Optional<RunningBrokers> previous = RunningBrokers.read(spec.dataDir());
    if (previous.isPresent()) {
      RunningBrokers running = previous.get();
      if (running.brokers().stream().allMatch(RunningBrokers.Broker::isAlive)) {
        awaitAnswering(running, List.of());
        LOG.info("local Kafka cluster already running on {}", running.bootstrapServers());
        return new LocalClusterStart(running.bootstrapServers(), true);
      }
      LOG.warn("the local Kafka cluster in {} stopped without fink_kafka stop; cleaning up and starting it again",
          spec.dataDir());
      stopProcesses(running);
      RunningBrokers.delete(spec.dataDir());
    }
    checkPortsFree();
    ClusterIdentity identity = ClusterIdentity.loadOrCreate(spec);
    List<Process> processes = new ArrayList<>();
    List<RunningBrokers.Broker> brokers = new ArrayList<>();
    for (int id = 1; id <= spec.brokers(); id++) {
      try {
        Process process = launcher.launch(spec, id, identity.clusterId());
        processes.add(process);
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
    LOG.info("local Kafka cluster started on {} (data {})", state.bootstrapServers(), spec.dataDir());
    return new LocalClusterStart(state.bootstrapServers(), false);
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
    for (RunningBrokers.Broker broker : running.get().brokers()) {
      boolean alive = broker.isAlive();
      statuses.add(new BrokerStatus(broker.nodeId(), broker.pid(), broker.port(), alive,
          alive && answers(broker.port())));
    }
    return statuses;
  }

  /** Whether the state file names broker processes that all still run. */
  public boolean isRunning() {
    return RunningBrokers.read(spec.dataDir())
        .map(r -> r.brokers().stream().allMatch(RunningBrokers.Broker::isAlive)).orElse(false);
  }

  private void checkPortsFree() {
    for (int id = 1; id <= spec.brokers(); id++) {
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

  /** Waits until every broker answers; fails early if one of {@code launched} exits. */
  private void awaitAnswering(RunningBrokers state, List<Process> launched) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(state.bootstrapServers())) {
      while (true) {
        for (int i = 0; i < launched.size(); i++) {
          Process process = launched.get(i);
          if (!process.isAlive()) {
            int id = i + 1;
            throw new KafkaAdminException("Kafka broker " + id + " exited with status " + process.exitValue()
                + " before answering; last lines of " + spec.logFile(id) + ":\n"
                + BrokerProcessLauncher.tail(spec.logFile(id), LOG_TAIL_LINES));
          }
        }
        if (allAnswer(admin, state.brokers().size())) {
          return;
        }
        if (System.nanoTime() >= deadline) {
          throw new KafkaAdminException("the local Kafka cluster on " + state.bootstrapServers()
              + " did not answer within " + START_TIMEOUT.toSeconds() + " s; last lines of " + spec.logFile(1)
              + ":\n" + BrokerProcessLauncher.tail(spec.logFile(1), LOG_TAIL_LINES));
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

  private static boolean answers(int port) {
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect("127.0.0.1:" + port)) {
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
