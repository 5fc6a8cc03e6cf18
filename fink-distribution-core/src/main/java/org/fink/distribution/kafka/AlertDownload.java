package org.fink.distribution.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.fink.distribution.codec.AlertJson;

/**
 * Writes consumed alerts to a folder, exactly once: one file per topic, partition, night and schema of each
 * {@link #write} call, written under a temporary name, fsynced, renamed, and its folder fsynced. A file's name carries
 * the offsets it holds ({@code <topic>/night=2026-11-30/<topic>-<partition>-<first>-<last>.avro}), so the files
 * themselves say where to resume ({@link #resumeOffsets}): a run killed at any moment (before the rename, or after it
 * but before the group's offsets were committed) starts again after the last alert on disk, none lost, none twice.
 * The night is the UTC date of the message's Kafka timestamp; {@code night=} folders are partition columns for Spark,
 * pyarrow and DuckDB. Each file keeps the writer schema of its alerts; {@code <topic>/_schema.avsc} is the merged
 * schema of all of them ({@link org.fink.distribution.schema.SchemaMerger}: a field some schema versions lack is null
 * in their alerts), saved before the first file of a new schema version is renamed.
 *
 * <pre>{@code
 * AlertDownload download = new AlertDownload(Path.of("alerts"), AlertDownload.Format.AVRO);
 * try (AlertConsumer consumer = AlertConsumer.builder().servers(servers).topics("fink_outstream")
 *     .groupId("my-download").startOffsets(download.resumeOffsets()).build()) {
 *   List<ConsumedAlert> alerts = consumer.poll(Duration.ofSeconds(1));
 *   download.write(alerts);     // on disk for good
 *   consumer.commit(alerts);    // then committed
 * }
 * }</pre>
 */
public final class AlertDownload {
  /**
   * Writes one file of alerts (all of one schema) at a path; {@link AlertDownload} then fsyncs and renames it. The
   * Avro and JSON writers are built in ({@link Format}); others (Parquet, through Spark) come from outside the core.
   */
  public interface FileWriter {
    /** The file name extension, without the dot. */
    String extension();

    /** Writes {@code alerts} to the new file {@code file}. */
    void write(List<GenericRecord> alerts, Path file) throws IOException;

    /**
     * Called when alerts of a new schema version are about to join {@code topicFolder} (before their file is
     * renamed), with the schema that now reads every alert of the folder: a format whose readers take one file's
     * schema for all (Parquet) writes what makes them see the merged one. Default: nothing.
     */
    default void topicSchema(Path topicFolder, Schema merged) throws IOException {}
  }

  /** The built-in file formats. */
  public enum Format implements FileWriter {
    /** Avro container files, each with the writer schema of its alerts. */
    AVRO("avro"),
    /** JSON lines, one alert per line in the json framing ({@link AlertJson}). */
    JSON("jsonl");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    @Override
    public String extension() {
      return extension;
    }

    @Override
    public void write(List<GenericRecord> alerts, Path file) throws IOException {
      try (OutputStream out = Files.newOutputStream(file)) {
        if (this == AVRO) {
          writeAvro(alerts, out);
        } else {
          for (GenericRecord a : alerts) {
            out.write(AlertJson.write(a));
            out.write('\n');
          }
        }
      }
    }

    /** The format named {@code text} (avro or json). */
    public static Format parse(String text) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown download format '" + text + "': give avro, json or parquet", e);
      }
    }
  }

  private static final Pattern NAME = Pattern.compile("(.+)-(\\d+)-(\\d+)-(\\d+)\\.[a-z]+");

  private final Path folder;
  private final FileWriter format;
  private final MergedTopicSchemas schemas = new MergedTopicSchemas();
  private long files;
  private long bytes;

  /** A download to {@code folder} in {@code format} (a {@link Format}, or a writer of another format). */
  public AlertDownload(Path folder, FileWriter format) {
    this.folder = folder;
    this.format = format;
  }

  /** Per partition with files in the folder, the offset after the last alert written. */
  public Map<TopicPartition, Long> resumeOffsets() {
    Map<TopicPartition, Long> next = new HashMap<>();
    if (!Files.isDirectory(folder)) {
      return next;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      all.filter(Files::isRegularFile).forEach(file -> {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (m.matches()) {
          TopicPartition tp = new TopicPartition(m.group(1), Integer.parseInt(m.group(2)));
          next.merge(tp, Long.parseLong(m.group(4)) + 1, Math::max);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the download folder " + folder, e);
    }
    return next;
  }

  /** Writes {@code alerts} (one poll's) durably; returns once every file is renamed and fsynced. */
  public void write(List<ConsumedAlert> alerts) {
    Map<String, List<ConsumedAlert>> groups = new LinkedHashMap<>();
    for (ConsumedAlert a : alerts) {
      LocalDate night = LocalDate.ofInstant(a.timestamp(), ZoneOffset.UTC);
      groups.computeIfAbsent(a.topic() + "\n" + a.partition() + "\n" + night + "\n" + a.fingerprint(),
          k -> new ArrayList<>()).add(a);
    }
    for (List<ConsumedAlert> group : groups.values()) {
      writeFile(group);
    }
  }

  /** Bytes in the files written by this download so far. */
  public long bytes() {
    return bytes;
  }

  /** Files written by this download so far. */
  public long files() {
    return files;
  }

  private void writeFile(List<ConsumedAlert> alerts) {
    ConsumedAlert first = alerts.get(0);
    long firstOffset = alerts.stream().mapToLong(ConsumedAlert::offset).min().orElseThrow();
    long lastOffset = alerts.stream().mapToLong(ConsumedAlert::offset).max().orElseThrow();
    Path topicFolder = folder.resolve(first.topic());
    Path dir = topicFolder.resolve("night=" + LocalDate.ofInstant(first.timestamp(), ZoneOffset.UTC));
    String name = first.topic() + "-" + first.partition() + "-" + firstOffset + "-" + lastOffset + "."
        + format.extension();
    Path target = dir.resolve(name);
    Path temporary = dir.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(temporary); // left by a run killed while writing it
      format.write(alerts.stream().map(ConsumedAlert::alert).toList(), temporary);
      try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        file.force(true);
      }
      // the folder's merged schema covers these alerts before they join it: a run killed in between leaves a
      // merged schema wider than the files, never narrower
      Optional<Schema> merged = schemas.add(topicFolder, first.fingerprint(), first.alert().getSchema());
      if (merged.isPresent()) {
        format.topicSchema(topicFolder, merged.get());
        schemas.save(topicFolder, merged.get());
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel folderChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
        folderChannel.force(true);
      }
      files++;
      bytes += Files.size(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + " (nothing committed: the next run writes it"
          + " again): " + e.getMessage(), e);
    }
  }

  private static void writeAvro(List<GenericRecord> alerts, OutputStream out) throws IOException {
    GenericRecord sample = alerts.get(0);
    DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(sample.getSchema()));
    writer.create(sample.getSchema(), out);
    for (GenericRecord a : alerts) {
      writer.append(a);
    }
    writer.flush();
  }
}
