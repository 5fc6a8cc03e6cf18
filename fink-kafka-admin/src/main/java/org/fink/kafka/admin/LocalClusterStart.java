package org.fink.kafka.admin;

/**
 * The outcome of {@link LocalKafkaCluster#start()}.
 *
 * <pre>{@code
 * LocalClusterStart started = cluster.start();
 * System.out.println((started.alreadyRunning() ? "already running: " : "started: ") + started.bootstrapServers());
 * }</pre>
 *
 * @param bootstrapServers {@code 127.0.0.1:PORT,...}
 * @param alreadyRunning true if the cluster was running before the call (nothing was started)
 */
public record LocalClusterStart(String bootstrapServers, boolean alreadyRunning) {
}
