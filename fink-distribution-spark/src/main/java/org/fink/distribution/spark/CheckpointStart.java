package org.fink.distribution.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * When a checkpoint was first used: recorded in the checkpoint folder on first start, read back afterwards, so that
 * {@code DISTRIBUTION_OFFSET=latest} means "ingested after the distribution first started", across restarts.
 */
final class CheckpointStart {
  private static final String FILE = "fink-start-epoch-ms";
  private final SparkSession spark;
  private final String checkpoint;

  CheckpointStart(SparkSession spark, String checkpoint) {
    this.spark = spark;
    this.checkpoint = checkpoint;
  }

  long epochMillis() {
    Path file = new Path(checkpoint, FILE);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(file)) {
        try (var in = fs.open(file)) {
          return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
      }
      long now = System.currentTimeMillis();
      try (FSDataOutputStream out = fs.create(file, false)) {
        out.write(Long.toString(now).getBytes(StandardCharsets.UTF_8));
      }
      return now;
    } catch (IOException | NumberFormatException e) {
      throw new DistributionException("cannot read or record the start time in checkpoint " + checkpoint + ": "
          + e.getMessage(), e);
    }
  }
}
