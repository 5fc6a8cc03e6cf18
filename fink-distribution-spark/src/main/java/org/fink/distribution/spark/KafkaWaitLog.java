package org.fink.distribution.spark;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, once per {@link #INTERVAL} for the whole executor JVM (not per task or message), that the distribution is
 * waiting for Kafka, and since when: during a broker outage the producer blocks on metadata or retries quietly until
 * its timeouts, and the service would otherwise look idle. A task registers while it has messages that Kafka has not
 * acknowledged (a blocked {@code send} included); a daemon thread checks the registered waits every second.
 *
 * <pre>{@code
 * KafkaWaitLog.waiting(acks);   // its first message sent (acks: a KafkaWaitLog.Waiting)
 * KafkaWaitLog.done(acks);      // all acknowledged, or the task failed
 * // WARN waiting for Kafka at 127.0.0.1:9092 since 18:02:11 UTC (12 s): 120 messages not acknowledged yet; ...
 * }</pre>
 */
final class KafkaWaitLog {
  /** How often the wait is reported, at most. */
  static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaWaitLog.class);
  private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final Set<Waiting> WAITS = ConcurrentHashMap.newKeySet();
  /**
   * Guards {@link #lastReportNanos} only. Never the class's monitor: a task calls {@link #waiting} while it holds its
   * own lock, and {@link #check} calls into the tasks' waits, so one lock shared by both paths deadlocked a task
   * against the checker thread (seen in bench/run: the distribution hung with every task blocked in a send).
   */
  private static final Object REPORT = new Object();
  private static long lastReportNanos = System.nanoTime() - INTERVAL.toNanos();

  /** A task's wait for Kafka, read by the checker thread. */
  interface Waiting {
    String servers();

    /** Since when (epoch ms) the task waits for an answer of Kafka. */
    long sinceEpochMillis();

    /** How many of its messages Kafka has not acknowledged yet. */
    long unacknowledged();
  }

  private KafkaWaitLog() {}

  /** {@code task} has messages that Kafka has not acknowledged. */
  static void waiting(Waiting task) {
    WAITS.add(task);
    Checker.start();
  }

  /** {@code task} waits no more. */
  static void done(Waiting task) {
    WAITS.remove(task);
  }

  /** The checker thread, started by the first wait of the JVM (the JVM's class initialization makes it once). */
  private static final class Checker {
    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "fink-kafka-wait-log");
      thread.setDaemon(true);
      return thread;
    });

    static {
      THREAD.scheduleWithFixedDelay(KafkaWaitLog::check, 1, 1, TimeUnit.SECONDS);
    }

    /** Nothing to do: loading this class started the thread. */
    static void start() {}
  }

  /** Reports the oldest wait once it has lasted an interval, at most once per interval. */
  static void check() {
    synchronized (REPORT) {
      report(System.nanoTime());
    }
  }

  private static void report(long now) {
    if (now - lastReportNanos < INTERVAL.toNanos()) {
      return;
    }
    String servers = null;
    long oldest = Long.MAX_VALUE;
    long unacknowledged = 0;
    for (Waiting wait : WAITS) {
      long since = wait.sinceEpochMillis();
      unacknowledged += wait.unacknowledged();
      if (since < oldest) {
        oldest = since;
        servers = wait.servers();
      }
    }
    if (servers == null) {
      return;
    }
    long waitedMillis = System.currentTimeMillis() - oldest;
    if (waitedMillis < INTERVAL.toMillis()) {
      return;
    }
    lastReportNanos = now;
    String since = utcTimeOfDay(oldest);
    LOG.warn("waiting for Kafka at {} since {} UTC ({} s): {} messages not acknowledged yet; the producer retries"
        + " until its timeouts (max.block.ms, delivery.timeout.ms), then the batch fails and is sent again on"
        + " restart. Check that the brokers run and answer (DISTRIBUTION_SERVERS)", servers, since,
        waitedMillis / 1000, unacknowledged);
  }

  /**
   * {@code 18:02:00}: the UTC time of day in whole seconds, always with its seconds ({@code LocalTime.toString()}
   * leaves them out when they are zero).
   */
  static String utcTimeOfDay(long epochMillis) {
    return TIME_OF_DAY.format(Instant.ofEpochMilli(epochMillis));
  }
}
