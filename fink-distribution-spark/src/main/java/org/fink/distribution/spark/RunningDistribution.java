package org.fink.distribution.spark;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started distribution: its streaming query, its progress, and the way to stop it. Its progress listener is
 * removed from the session whichever way the run ends (finished, failed, stopped or closed).
 *
 * <pre>{@code
 * try (RunningDistribution running = distribution.start()) {
 *   if (!running.awaitTermination(Duration.ofHours(1))) {      // a failure is thrown as a DistributionException
 *     running.stopGracefully(Duration.ofSeconds(60));          // between two micro-batches
 *   }
 *   System.out.println(running.progress());
 * }                                                            // close: stops it if still running
 * }</pre>
 */
public final class RunningDistribution implements AutoCloseable {
  /** How long {@link #close()} lets the batch in flight finish. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
  /** How long to wait for Spark's report of the end, which carries the last batch's progress. */
  private static final Duration END_REPORT_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(RunningDistribution.class);

  private final SparkSession spark;
  private final DistributionProgress progress;
  private final AutoCloseable onEnd;
  private final ScienceDb scienceDb;
  private boolean listening = true;
  private StreamingQuery query;

  private RunningDistribution(SparkSession spark, DistributionProgress progress, AutoCloseable onEnd,
      ScienceDb scienceDb) {
    this.spark = spark;
    this.progress = progress;
    this.onEnd = onEnd;
    this.scienceDb = scienceDb;
  }

  /**
   * Starts the query of {@code writer} with the distribution's query settings ({@code conf}), its progress listened to;
   * {@code onEnd} (the checkpoint's lock) is closed when the run ends.
   */
  static RunningDistribution start(SparkSession spark, DataStreamWriter<Row> writer, QueryScopedConf conf,
      DistributionProgress progress, AutoCloseable onEnd, ScienceDb scienceDb) {
    RunningDistribution running = new RunningDistribution(spark, progress, onEnd, scienceDb);
    spark.streams().addListener(progress);
    try {
      running.query = conf.start(spark, writer);
    } catch (TimeoutException e) {
      running.removeListener();
      throw new DistributionException("the distribution query did not start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      running.removeListener();
      throw e;
    }
    progress.follow(running.query.id(), running::removeListener);
    return running;
  }

  /** The streaming query's id (the same across restarts from one checkpoint). */
  public UUID id() {
    return query.id();
  }

  /** The Spark query itself, e.g. for its {@code status()}. */
  public StreamingQuery query() {
    return query;
  }

  /** Whether the query still runs. */
  public boolean isActive() {
    return query.isActive();
  }

  /** What the distribution has done so far (alerts read, messages per topic, bytes). */
  public DistributionProgress.Summary progress() {
    return progress.summary();
  }

  /**
   * Waits until the run ends: at once for {@link Distribution#startOnce()}, when stopped for
   * {@link Distribution#start()}.
   *
   * @return what the run did
   * @throws DistributionException when the run failed (one paragraph: Kafka's refusal, a full disk...)
   */
  public DistributionProgress.Summary awaitTermination() {
    try {
      query.awaitTermination();
    } catch (StreamingQueryException e) {
      throw failed(e);
    } finally {
      ended();
    }
    return progress();
  }

  /**
   * Waits until the run ends, at most {@code timeout}.
   *
   * @return true if it ended, false if it still runs
   * @throws DistributionException when the run failed
   */
  public boolean awaitTermination(Duration timeout) {
    boolean terminated = false;
    try {
      terminated = query.awaitTermination(timeout.toMillis());
      return terminated;
    } catch (StreamingQueryException e) {
      terminated = true;
      throw failed(e);
    } finally {
      if (terminated) {
        ended();
      }
    }
  }

  /**
   * Stops the run between two micro-batches, so that the batch in flight is committed to the checkpoint and not sent
   * again on restart. Gives up waiting after {@code timeout} and stops anyway (a batch cut short is sent again on
   * restart: at least once, never lost).
   *
   * @return what the run did
   * @throws DistributionException when the run had failed
   */
  public DistributionProgress.Summary stopGracefully(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
        query.awaitTermination(50);
      }
      query.stop();
    } catch (StreamingQueryException e) {
      throw failed(e);
    } catch (TimeoutException e) {
      throw new DistributionException("the distribution did not stop cleanly: " + e.getMessage(), e);
    } finally {
      ended();
    }
    return progress();
  }

  /**
   * Stops the run gracefully ({@link #stopGracefully} within {@link #CLOSE_TIMEOUT}) if it still runs, and removes
   * its listener. A failure of the run is not thrown again here: {@link #awaitTermination()} reports it.
   */
  @Override
  public void close() {
    try {
      stopGracefully(CLOSE_TIMEOUT);
    } catch (DistributionException e) {
      LOG.info("closing a distribution that had stopped: {}", e.getMessage());
    }
  }

  /** The failure explained: the science database gone (removed during the run), else {@link DistributionException#failed}. */
  private DistributionException failed(Throwable error) {
    if (scienceDb != null && !scienceDbFolderExists()) {
      return new DistributionException("the science database " + scienceDb.path() + " (SCIENCE_DB_PATH) is gone:"
          + " it was removed while the distribution ran. Restore it (from a backup) and start the distribution again:"
          + " the checkpoint resumes where it stopped; a science database ingested anew is published anew, so give"
          + " it a new checkpoint folder (FINK_ALERT_CHECKPOINT_KAFKA)", error);
    }
    return DistributionException.failed(error);
  }

  private boolean scienceDbFolderExists() {
    try {
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(scienceDb.path());
      return root.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(root);
    } catch (java.io.IOException | RuntimeException e) {
      return true; // cannot tell: Spark's own message
    }
  }

  /** The query has ended: wait for Spark's report of it (the last batch's progress), then stop listening. */
  private void ended() {
    if (!progress.awaitEnd(END_REPORT_TIMEOUT)) {
      LOG.warn("Spark did not report the end of distribution query {} within {} s; its last batch may be missing"
          + " from the progress", query.id(), END_REPORT_TIMEOUT.toSeconds());
    }
    removeListener();
  }

  /** Called by the caller's thread and by Spark's listener thread (at the query's end), whichever comes first. */
  private synchronized void removeListener() {
    if (listening) {
      spark.streams().removeListener(progress);
      listening = false;
      try {
        onEnd.close();
      } catch (Exception e) {
        LOG.debug("releasing the checkpoint lock: {}", e.toString());
      }
    }
  }
}
