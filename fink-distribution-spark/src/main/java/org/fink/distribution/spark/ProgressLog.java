package org.fink.distribution.spark;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs one line per micro-batch of the distribution: alerts read, rate, batch duration. */
final class ProgressLog extends StreamingQueryListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
  private static final Object LOCK = new Object();
  private static SparkSession registeredOn;

  private final String queryName;

  private ProgressLog(String queryName) {
    this.queryName = queryName;
  }

  /** Registers the log on the session, once. */
  static void register(SparkSession spark, String queryName) {
    synchronized (LOCK) {
      if (registeredOn != spark) {
        spark.streams().addListener(new ProgressLog(queryName));
        registeredOn = spark;
      }
    }
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (queryName.equals(p.name()) && p.numInputRows() > 0) {
      LOG.info("batch {}: {} alerts read, {} alerts/s, {} ms", p.batchId(), p.numInputRows(),
          Math.round(p.processedRowsPerSecond()), p.batchDuration());
    }
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}
}
