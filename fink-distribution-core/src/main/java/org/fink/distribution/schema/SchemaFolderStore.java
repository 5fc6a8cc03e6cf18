package org.fink.distribution.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.fink.distribution.codec.SchemaFingerprint;

/**
 * The writer schemas of a folder's {@code *.avsc} files, by fingerprint, as Avro's decoders look them up (read once,
 * when built; files that are not schemas are skipped). Thread-safe.
 *
 * <pre>{@code
 * SchemaStore writers = new SchemaFolderStore(Path.of("schemas"));
 * Schema writer = writers.findByFingerprint(fingerprint);   // null when no file holds it
 * }</pre>
 */
public final class SchemaFolderStore implements SchemaStore {
  private final Path folder;
  private final Map<Long, Schema> byFingerprint = new HashMap<>();

  /** Reads every {@code *.avsc} file of {@code folder}; a folder that does not exist holds no schema. */
  public SchemaFolderStore(Path folder) {
    this.folder = folder;
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avsc")).sorted().toList()) {
        try {
          Schema schema = SchemaFiles.read(file);
          byFingerprint.putIfAbsent(SchemaFingerprint.of(schema), schema);
        } catch (SchemaException unreadable) {
          // not a schema file: nothing to resolve from it
        }
      }
    } catch (IOException e) {
      throw new SchemaException("cannot list schema folder " + folder + ": " + e.getMessage());
    }
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** How many distinct schemas the folder holds. */
  public int size() {
    return byFingerprint.size();
  }

  @Override
  public String toString() {
    return "schema folder " + folder;
  }
}
