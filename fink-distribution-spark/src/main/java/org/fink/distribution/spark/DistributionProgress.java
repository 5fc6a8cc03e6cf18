package org.fink.distribution.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one distribution query: logs one line per micro-batch (alerts read, messages published per topic,
 * bytes, rate, duration) and keeps the totals for a final summary.
 */
public final class DistributionProgress extends StreamingQueryListener {
  private static final Logger LOG = LoggerFactory.getLogger(DistributionProgress.class);

  private final AtomicLong read = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong millis = new AtomicLong();
  private final Map<String, Long> perTopic = new LinkedHashMap<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile UUID queryId;
  private volatile Runnable onEnd = () -> {};

  /** Counts the micro-batches of this query; {@code onEnd} runs when Spark reports its end. */
  void follow(UUID id, Runnable onEnd) {
    this.onEnd = onEnd;
    this.queryId = id;
  }

  /**
   * Waits until Spark has reported the end of the query to this listener (after its last batch's progress).
   *
   * @return false if the report did not come within {@code timeout}
   */
  boolean awaitEnd(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Totals so far.
   *
   * @param batches micro-batches that read alerts
   * @param alertsRead alerts read from the science database
   * @param messagesPublished messages written to Kafka (an alert in several streams counts several times)
   * @param bytes bytes of message values
   * @param perTopic messages per topic
   * @param batchMillis time spent in those micro-batches (excludes JVM and Spark start-up and idle triggers)
   */
  public record Summary(long batches, long alertsRead, long messagesPublished, long bytes,
      Map<String, Long> perTopic, long batchMillis) {
    @Override
    public String toString() {
      return String.format("%d alerts read, %d messages published (%s), %.1f MB in %d batches, %.1f s", alertsRead,
          messagesPublished, perTopic, bytes / 1e6, batches, batchMillis / 1000.0);
    }
  }

  public synchronized Summary summary() {
    return new Summary(batches.get(), read.get(), published.get(), bytes.get(), Map.copyOf(perTopic), millis.get());
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  /** Called by the writer once a batch is in Kafka: messages per topic and bytes of that batch. */
  synchronized void published(long batchId, Map<String, Long> topics, long size) {
    pending.put(batchId, new Published(topics, size));
  }

  private record Published(Map<String, Long> perTopic, long bytes) {}

  private final Map<Long, Published> pending = new LinkedHashMap<>();

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (!p.id().equals(queryId) || p.numInputRows() == 0) {
      return;
    }
    Published batch;
    synchronized (this) {
      batch = pending.remove(p.batchId());
      if (batch == null) {
        batch = new Published(Map.of(), 0);
      }
      long messages = batch.perTopic().values().stream().mapToLong(Long::longValue).sum();
      batches.incrementAndGet();
      millis.addAndGet(p.batchDuration());
      read.addAndGet(p.numInputRows());
      published.addAndGet(messages);
      bytes.addAndGet(batch.bytes());
      batch.perTopic().forEach((t, n) -> perTopic.merge(t, n, Long::sum));
    }
    LOG.info("batch {}: {} alerts read, {} messages published {}, {} MB, {} alerts/s, {} ms", p.batchId(),
        p.numInputRows(), batch.perTopic().values().stream().mapToLong(Long::longValue).sum(), batch.perTopic(),
        String.format("%.1f", batch.bytes() / 1e6), Math.round(p.processedRowsPerSecond()), p.batchDuration());
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.id().equals(queryId)) {
      ended.countDown();
      onEnd.run();
    }
  }
}
