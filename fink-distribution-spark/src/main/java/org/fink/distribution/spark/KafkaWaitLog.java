package org.fink.distribution.spark;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per {@link #INTERVAL} for the whole executor JVM (not per task or message), that the distribution is
 * waiting for Kafka to acknowledge its messages, and since when: during a broker outage the producer retries quietly
 * until its {@code delivery.timeout.ms}, and the service would otherwise look idle.
 *
 * <pre>{@code
 * KafkaWaitLog.stillWaiting("127.0.0.1:9092", oldestSendMillis, 120);
 * // WARN waiting for Kafka at 127.0.0.1:9092 since 18:02:11 UTC (12 s): 120 messages not acknowledged yet; ...
 * }</pre>
 */
final class KafkaWaitLog {
  /** How often the wait is reported, at most. */
  static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWaitLog.class);
  private static final AtomicLong LAST_REPORT_NANOS = new AtomicLong(System.nanoTime() - INTERVAL.toNanos());

  private KafkaWaitLog() {}

  /** Reports the wait if it has lasted an interval and no other task reported one during the last interval. */
  static void stillWaiting(String servers, long sinceEpochMillis, long unacknowledged) {
    long waitedMillis = System.currentTimeMillis() - sinceEpochMillis;
    if (waitedMillis < INTERVAL.toMillis()) {
      return;
    }
    long now = System.nanoTime();
    long last = LAST_REPORT_NANOS.get();
    if (now - last < INTERVAL.toNanos() || !LAST_REPORT_NANOS.compareAndSet(last, now)) {
      return;
    }
    LocalTime since = LocalTime.ofInstant(Instant.ofEpochMilli(sinceEpochMillis), ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS);
    LOG.warn("waiting for Kafka at {} since {} UTC ({} s): {} messages not acknowledged yet; the producer retries"
        + " until its delivery.timeout.ms, then the batch fails and is sent again. Check that the brokers run and"
        + " answer (DISTRIBUTION_SERVERS)", servers, since, waitedMillis / 1000, unacknowledged);
  }
}
