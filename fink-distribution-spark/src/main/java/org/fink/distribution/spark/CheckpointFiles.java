package org.fink.distribution.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The files of a distribution checkpoint that Spark reads on start, checked before it does: {@code metadata} (JSON),
 * and the logs {@code offsets/N}, {@code commits/N}, {@code sources/0/N} (a version line {@code v1}, then JSON lines).
 * A damaged one (not UTF-8, cut, edited) is named with what is wrong and the fix, instead of Spark's "Input length = 1"
 * or "Unrecognized token".
 *
 * <pre>{@code
 * CheckpointFiles.checkReadable(spark, "run/checkpoints/distribution");   // DistributionException naming the file
 * }</pre>
 */
final class CheckpointFiles {
  /** The logs Spark's streaming query keeps in its checkpoint. */
  private static final List<String> LOGS = List.of("offsets", "commits", "sources");
  private static final Pattern VERSION = Pattern.compile("v\\d+");
  private static final Pattern BATCH = Pattern.compile("\\d+(\\.compact)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private CheckpointFiles() {}

  static void checkReadable(SparkSession spark, String checkpoint) {
    Path root = new Path(checkpoint);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return;
      }
      List<Path> files = new ArrayList<>();
      Path metadata = new Path(root, "metadata");
      if (fs.exists(metadata)) {
        files.add(metadata);
      }
      for (String log : LOGS) {
        collect(fs, new Path(root, log), files);
      }
      for (Path file : files) {
        Optional<String> problem = problem(fs, file, file.equals(metadata));
        if (problem.isPresent()) {
          throw damaged(checkpoint, fs.makeQualified(root), fs.makeQualified(file), problem.get());
        }
      }
    } catch (IOException e) {
      throw new DistributionException("cannot read the checkpoint folder " + checkpoint
          + " (FINK_ALERT_CHECKPOINT_KAFKA): " + e.getMessage() + "; make it readable by this user", e);
    }
  }

  /** The batch files under a log folder ({@code sources} holds one folder per source). */
  private static void collect(FileSystem fs, Path folder, List<Path> files) throws IOException {
    if (!fs.exists(folder)) {
      return;
    }
    for (FileStatus status : fs.listStatus(folder)) {
      String name = status.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (status.isDirectory()) {
        collect(fs, status.getPath(), files);
      } else if (BATCH.matcher(name).matches()) {
        files.add(status.getPath());
      }
    }
  }

  /** What is wrong with one file, if anything. */
  static Optional<String> problem(FileSystem fs, Path file, boolean plainJson) throws IOException {
    byte[] bytes;
    // the content first (the raw file, without its .crc), then the checksum
    FileSystem raw = fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    try (FSDataInputStream in = raw.open(file)) {
      bytes = in.readAllBytes();
    }
    Optional<String> content = contentProblem(bytes, plainJson);
    if (content.isPresent() || raw == fs) {
      return content;
    }
    try (FSDataInputStream in = fs.open(file)) {
      in.readAllBytes();
    } catch (ChecksumException e) {
      return Optional.of("it does not match its checksum file ." + file.getName() + ".crc (it was changed or"
          + " damaged)");
    }
    return Optional.empty();
  }

  private static Optional<String> contentProblem(byte[] bytes, boolean plainJson) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return Optional.of("it is not UTF-8 text (binary or damaged bytes)");
    }
    if (text.isBlank()) {
      return Optional.of("it is empty");
    }
    String[] lines = text.split("\n");
    int first = 0;
    if (!plainJson) {
      if (!VERSION.matcher(lines[0].strip()).matches()) {
        return Optional.of("its first line is \"" + shorten(lines[0]) + "\", not a version such as v1");
      }
      first = 1;
    }
    for (int i = first; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        JSON.readTree(lines[i]);
      } catch (JsonProcessingException e) {
        return Optional.of("line " + (i + 1) + " is not JSON (" + e.getOriginalMessage() + ")");
      }
    }
    return Optional.empty();
  }

  private static DistributionException damaged(String checkpoint, Path root, Path file, String problem) {
    String base = root.toUri().getPath();
    String path = file.toUri().getPath();
    String relative = path.startsWith(base + "/") ? path.substring(base.length() + 1) : path;
    boolean batchFile = relative.startsWith("offsets/") || relative.startsWith("commits/");
    String batch = file.getName();
    return new DistributionException("the checkpoint folder " + checkpoint + " (FINK_ALERT_CHECKPOINT_KAFKA) holds a"
        + " damaged file, " + relative + ": " + problem + ". Spark cannot resume from it. Restore the folder from a"
        + " backup; " + (batchFile ? "or, if batch " + batch + " is the newest, delete offsets/" + batch
        + " and commits/" + batch + " (that batch is published again); " : "")
        + "or move the folder aside to start a new checkpoint (DISTRIBUTION_OFFSET says where it starts; alerts"
        + " already published may be published again)");
  }

  private static String shorten(String text) {
    String stripped = text.strip();
    return stripped.length() > 40 ? stripped.substring(0, 40) + "..." : stripped;
  }
}
