package org.fink.kafka.admin;

/**
 * One broker of a {@link LocalKafkaCluster}, as {@link LocalKafkaCluster#status()} sees it.
 *
 * <pre>{@code
 * for (BrokerStatus b : cluster.status()) {
 *   System.out.println("broker " + b.nodeId() + ": pid " + b.pid() + (b.answering() ? " answering" : " silent"));
 * }
 * }</pre>
 *
 * @param nodeId node id (1-based)
 * @param pid operating-system process id recorded at start
 * @param port client port
 * @param alive whether that process still runs
 * @param answering whether Kafka answers on the client port
 */
public record BrokerStatus(int nodeId, long pid, int port, boolean alive, boolean answering) {
  /** A one-line description, e.g. {@code broker 1: pid 4242, port 9092, running, answering}. */
  public String describe() {
    return "broker " + nodeId + ": pid " + pid + ", port " + port + ", "
        + (alive ? "running" : "not running") + ", " + (answering ? "answering" : "not answering");
  }
}
