package org.fink.distribution.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * SQL settings for one streaming query only. Spark runs the micro-batches of a query with a clone of the session
 * taken when the query starts, so settings made on the session just before the start, and undone just after, reach
 * that query and nothing else: a notebook's own queries keep the user's settings. A setting the user made
 * explicitly on the session is kept as it is.
 *
 * <pre>{@code
 * StreamingQuery query = QueryScopedConf.of(Map.of("spark.sql.constraintPropagation.enabled", "false"))
 *     .start(spark, dataset.writeStream().foreachBatch(sink));
 * }</pre>
 */
final class QueryScopedConf {
  /**
   * The distribution's settings. Constraint propagation off: the optimizer (and the foreachBatch sink, once per
   * micro-batch) infers constraints from every filter and alias of the plan, and with one condition per stream and
   * an alias per stream schema this cost the driver 0.2 CPU-s per micro-batch with 10 streams, for nothing: the
   * query is one scan, filter and projection, with no join for the constraints to prune.
   */
  static final QueryScopedConf DISTRIBUTION =
      of(Map.of("spark.sql.constraintPropagation.enabled", "false"));

  /**
   * Exactly once: also read splits of up to 512 MiB instead of Spark's 128 MiB. Each task is a Kafka transaction
   * (its producer initialized for the task's partition, its commit waiting for every acknowledgement), so fewer,
   * larger tasks spend less time idle: a batch of 910 MB on 2 cores ran as 2 tasks instead of 12, 19% faster with
   * the service's producer settings, no faster with bench's (bench/README.md, Tuning). 512 MiB keeps a transaction well inside the producer's 60-s
   * {@code transaction.timeout.ms} down to ~10 MB/s per task.
   */
  static final QueryScopedConf DISTRIBUTION_EXACTLY_ONCE =
      of(Map.of("spark.sql.constraintPropagation.enabled", "false", "spark.sql.files.maxPartitionBytes", "512m"));

  /** Two queries starting at once on one session must not undo each other's settings. */
  private static final Object STARTING = new Object();

  private final Map<String, String> settings;

  private QueryScopedConf(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
  }

  static QueryScopedConf of(Map<String, String> settings) {
    return new QueryScopedConf(settings);
  }

  /** Starts the query with these settings, then puts the session's settings back. */
  StreamingQuery start(SparkSession spark, DataStreamWriter<Row> writer) throws TimeoutException {
    RuntimeConfig conf = spark.conf();
    Map<String, String> applied = new LinkedHashMap<>();
    synchronized (STARTING) {
      try {
        settings.forEach((key, value) -> {
          if (!conf.contains(key)) {
            applied.put(key, value);
            conf.set(key, value);
          }
        });
        return writer.start();
      } finally {
        applied.keySet().forEach(conf::unset);
      }
    }
  }
}
