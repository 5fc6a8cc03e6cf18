package org.fink.distribution.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession of a Fink job, or joins the active one (under {@code spark-submit}, or in a notebook).
 *
 * <pre>{@code
 * SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-distribution");
 * }</pre>
 */
public final class FinkSparkSession {
  private static final String VECTORED_READS = "spark.hadoop.parquet.hadoop.vectored.io.enabled";

  private static final String PLUGINS = "spark.plugins";

  private FinkSparkSession() {}

  /** Fink's executor plugin after the plugins already configured (spark-submit --conf spark.plugins=...). */
  static String plugins(String configured) {
    String fink = TaskSqlConfPlugin.class.getName();
    if (configured == null || configured.isBlank()) {
      return fink;
    }
    return configured.contains(fink) ? configured : configured.strip() + "," + fink;
  }

  /**
   * The active session if there is one, else a new one on {@code master} (ignored when {@code spark.master} is
   * already set, as by {@code spark-submit}).
   */
  public static SparkSession getOrCreate(String master, String appName) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName)
        .config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"))
        .config("spark.sql.shuffle.partitions", System.getProperty("spark.sql.shuffle.partitions", "4"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
        // an alert row is ~50 KB (cutouts): Spark's default of 4096 rows per columnar batch would need ~200 MB of
        // contiguous memory per batch and fail on a 1 GiB heap; 256 rows keep a batch near 12 MB
        .config("spark.sql.parquet.columnarReaderBatchSize",
            System.getProperty("spark.sql.parquet.columnarReaderBatchSize", "256"))
        // Parquet's vectored reads go through an AsynchronousFileChannel into heap buffers on local and checksummed
        // file systems: every column chunk read allocates and zeroes a fresh direct buffer as large as the chunk
        // (too large for the JDK's temporary-buffer cache). Plain reads cost 10-15% less CPU for the whole scan.
        // Object stores (s3a) gain from vectored reads: set it back to true there.
        .config(VECTORED_READS, System.getProperty(VECTORED_READS, "false"))
        // one SQL conf per task, not one per nested value of a decoded alert (TaskSqlConfPlugin)
        .config(PLUGINS, plugins(System.getProperty(PLUGINS)));
    if (System.getProperty("spark.master") == null) {
      builder.master(master);
    }
    return builder.getOrCreate();
  }
}
