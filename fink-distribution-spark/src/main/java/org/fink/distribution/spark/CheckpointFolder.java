package org.fink.distribution.spark;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The distribution's checkpoint folder ({@code FINK_ALERT_CHECKPOINT_KAFKA}), checked before the query starts: a full
 * disk, a read-only or misplaced folder is named at once, before anything is published, instead of failing Spark's
 * first commit. Works on any Hadoop file system (local, HDFS, S3).
 *
 * <pre>{@code
 * CheckpointFolder.checkWritable(spark, "run/checkpoints/distribution"); // DistributionException if it cannot be
 * }</pre>
 */
final class CheckpointFolder {
  /** What the check writes and deletes: room for a few batches' offsets and commits. */
  static final int PROBE_BYTES = 64 * 1024;

  private CheckpointFolder() {}

  /** Creates the folder if needed and writes (then deletes) a small file in it. */
  static void checkWritable(SparkSession spark, String checkpoint) {
    Path root = new Path(checkpoint);
    Path probe = new Path(root, ".fink-write-check-" + UUID.randomUUID());
    FileSystem fs = null;
    try {
      fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.mkdirs(root)) {
        throw new IOException("cannot create the folder");
      }
      try (FSDataOutputStream out = fs.create(probe, true)) {
        out.write(new byte[PROBE_BYTES]);
        out.hsync();
      }
      fs.delete(probe, false);
    } catch (IOException | RuntimeException | FSError e) { // Hadoop's local file system throws FSError when full
      deleteQuietly(fs, probe);
      throw new DistributionException("cannot write to the checkpoint folder " + checkpoint
          + " (FINK_ALERT_CHECKPOINT_KAFKA): " + reason(e) + "; free space on its disk or set"
          + " FINK_ALERT_CHECKPOINT_KAFKA to a writable folder. Nothing was published.", e);
    }
  }

  /** The innermost message: the operating system's words ("No space left on device", "Not a directory"...). */
  private static String reason(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root == error || error instanceof FSError || error.getMessage() == null) {
      return message;
    }
    return error.getMessage().contains(message) ? error.getMessage() : error.getMessage() + " (" + message + ")";
  }

  private static void deleteQuietly(FileSystem fs, Path probe) {
    if (fs == null) {
      return;
    }
    try {
      fs.delete(probe, false);
    } catch (IOException | RuntimeException | FSError ignored) {
      // the folder is unusable anyway; the error says why
    }
  }
}
