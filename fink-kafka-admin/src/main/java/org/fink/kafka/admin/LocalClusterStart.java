package org.fink.kafka.admin;

import java.util.List;

/**
 * The outcome of {@link LocalKafkaCluster#start()}: which brokers it started. None when the cluster was running
 * already; some when it restarted the brokers of a running cluster that had died; all for a fresh start.
 *
 * <pre>{@code
 * LocalClusterStart started = cluster.start();
 * System.out.println((started.alreadyRunning() ? "already running: " : "started: ") + started.bootstrapServers());
 * }</pre>
 *
 * @param bootstrapServers {@code 127.0.0.1:PORT,...}
 * @param startedBrokers node ids of the brokers this call started
 * @param brokers broker count of the cluster
 */
public record LocalClusterStart(String bootstrapServers, List<Integer> startedBrokers, int brokers) {
  public LocalClusterStart {
    startedBrokers = List.copyOf(startedBrokers);
  }

  /** True if every broker was running before the call (nothing was started). */
  public boolean alreadyRunning() {
    return startedBrokers.isEmpty();
  }

  /** True if the cluster was running but some of its brokers had died and were started again. */
  public boolean restartedSome() {
    return !startedBrokers.isEmpty() && startedBrokers.size() < brokers;
  }
}
