package org.fink.distribution.spark;

import org.apache.kafka.common.errors.TimeoutException;

/**
 * A publishing task gave up because Kafka did not answer within the producer's timeouts ({@code max.block.ms} for
 * metadata, {@code delivery.timeout.ms} for acknowledgements): which servers, and since when. Thrown on an executor and
 * carried to the driver as the cause of Spark's failure, where {@link DistributionException#failed} explains it.
 *
 * <pre>{@code
 * throw new KafkaUnansweredException("127.0.0.1:9092", waitingSince, timeout);
 * }</pre>
 */
final class KafkaUnansweredException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String servers;
  private final long sinceEpochMillis;

  /**
   * @param servers the producer's bootstrap servers
   * @param sinceEpochMillis since when the task waited for Kafka
   * @param timeout Kafka's own timeout error
   */
  KafkaUnansweredException(String servers, long sinceEpochMillis, TimeoutException timeout) {
    super(timeout.getMessage(), timeout);
    this.servers = servers;
    this.sinceEpochMillis = sinceEpochMillis;
  }

  String servers() {
    return servers;
  }

  long sinceEpochMillis() {
    return sinceEpochMillis;
  }

  /** The time of day (UTC, whole seconds) the wait began: {@code 18:02:11}. */
  String since() {
    return KafkaWaitLog.utcTimeOfDay(sinceEpochMillis);
  }
}
