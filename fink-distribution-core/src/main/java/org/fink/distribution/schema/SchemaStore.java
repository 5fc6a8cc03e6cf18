package org.fink.distribution.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.fink.distribution.codec.SchemaFingerprint;

/**
 * Writer schemas by fingerprint, as messages name them: from {@code .avsc} files, from the schema topic, or added by
 * hand. Thread-safe.
 *
 * <pre>{@code
 * SchemaStore store = SchemaStore.fromFolder(Path.of("schemas"));
 * Schema writer = store.find(fingerprint).orElseThrow();
 * }</pre>
 */
public final class SchemaStore {
  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

  /** An empty store. */
  public SchemaStore() {}

  /** A store holding every {@code *.avsc} file of a folder (unreadable files are skipped). */
  public static SchemaStore fromFolder(Path folder) {
    SchemaStore store = new SchemaStore();
    store.addFolder(folder);
    return store;
  }

  /** Adds every {@code *.avsc} file of a folder; returns how many schemas were read. */
  public int addFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int added = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avsc")).sorted().toList()) {
        try {
          add(SchemaFiles.read(file));
          added++;
        } catch (SchemaException unreadable) {
          // not a schema file: nothing to resolve from it
        }
      }
    } catch (IOException e) {
      throw new SchemaException("cannot list schema folder " + folder + ": " + e.getMessage());
    }
    return added;
  }

  /** Adds a schema; returns its fingerprint. */
  public long add(Schema schema) {
    long fingerprint = SchemaFingerprint.of(schema);
    byFingerprint.putIfAbsent(fingerprint, schema);
    return fingerprint;
  }

  public Optional<Schema> find(long fingerprint) {
    return Optional.ofNullable(byFingerprint.get(fingerprint));
  }

  public int size() {
    return byFingerprint.size();
  }
}
