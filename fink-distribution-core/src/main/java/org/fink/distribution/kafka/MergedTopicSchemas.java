package org.fink.distribution.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.fink.distribution.schema.SchemaException;
import org.fink.distribution.schema.SchemaMerger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merged schema of each topic folder of an {@link AlertDownload}: {@code <topic>/_schema.avsc} reads every alert
 * written there, whatever its schema version ({@link SchemaMerger}: the fields of every version, each nullable, so a
 * field a version lacks reads as null). Saved under a temporary name, fsynced and renamed when alerts of a writer
 * schema it does not cover arrive. Readers leave {@code _}-prefixed files out of the data (Spark, pyarrow).
 *
 * <pre>{@code
 * MergedTopicSchemas schemas = new MergedTopicSchemas();
 * schemas.add(Path.of("alerts/fink_outstream"), fingerprint, alert.getSchema())
 *     .ifPresent(merged -> schemas.save(Path.of("alerts/fink_outstream"), merged));
 * }</pre>
 */
final class MergedTopicSchemas {
  /** The file name of a topic folder's merged schema. */
  static final String FILE_NAME = "_schema.avsc";
  private static final Logger LOG = LoggerFactory.getLogger(MergedTopicSchemas.class);

  private final Map<Path, Schema> merged = new HashMap<>();
  /** Topic folder and writer fingerprint already merged (or refused) by this download. */
  private final Set<String> seen = new HashSet<>();

  /**
   * Merges {@code writer} into the schema of {@code topicFolder}.
   *
   * @return the new merged schema, to {@link #save}, or empty when it already covered {@code writer} or when
   *     {@code writer} cannot be merged (a field's type changed: logged once, the alerts' files keep their own schema)
   */
  Optional<Schema> add(Path topicFolder, long fingerprint, Schema writer) {
    if (!seen.add(topicFolder + "\n" + fingerprint)) {
      return Optional.empty();
    }
    Schema before = merged.computeIfAbsent(topicFolder, MergedTopicSchemas::read);
    Schema after;
    try {
      after = SchemaMerger.merge(before == null ? List.of(writer) : List.of(before, writer));
    } catch (SchemaException e) {
      LOG.warn("alerts of schema {} in {} are not merged into {}: {}; their files keep their own schema, read them"
          + " apart from the others", Long.toHexString(fingerprint), topicFolder, FILE_NAME, e.getMessage());
      return Optional.empty();
    }
    if (before != null && before.toString().equals(after.toString())) {
      return Optional.empty();
    }
    return Optional.of(after);
  }

  /** Makes {@code schema} the merged schema of {@code topicFolder}, on disk for good when this returns. */
  void save(Path topicFolder, Schema schema) {
    Path target = topicFolder.resolve(FILE_NAME);
    Path temporary = topicFolder.resolve("." + FILE_NAME + ".tmp");
    try {
      Files.createDirectories(topicFolder);
      Files.writeString(temporary, schema.toString(true), StandardCharsets.UTF_8);
      try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        file.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel folder = FileChannel.open(topicFolder, StandardOpenOption.READ)) {
        folder.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + " (nothing committed: the next run writes it again): "
          + e.getMessage(), e);
    }
    merged.put(topicFolder, schema);
  }

  /** The saved merged schema of {@code topicFolder}, or null when there is none yet. */
  private static Schema read(Path topicFolder) {
    Path file = topicFolder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (SchemaParseException e) {
      throw new SchemaException(file + " is not an Avro schema (" + e.getMessage() + "): restore it, or delete it"
          + " (it is then rebuilt from the schemas of the alerts downloaded from now on)");
    }
  }
}
