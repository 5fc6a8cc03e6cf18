package org.fink.distribution.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/**
 * A survey's schema versions, one folder each ({@code 7.4/}, {@code 9.0/}), holding {@code .avsc} files that refer to
 * each other by name, as Rubin publishes them. Resolves the Confluent wire-format schema id of a message: id 704 is
 * version 7.4 (major = id / 100, minor = id % 100).
 *
 * <pre>{@code
 * Schema v74 = new SchemaFolder(Path.of("lsst/schema")).forSchemaId(704);
 * }</pre>
 */
public final class SchemaFolder {
  private final Path root;
  private final Map<String, Schema> byVersion = new ConcurrentHashMap<>();

  public SchemaFolder(Path root) {
    this.root = root;
  }

  /** The alert schema of a Confluent wire-format schema id. */
  public Schema forSchemaId(int id) {
    return forVersion((id / 100) + "." + (id % 100));
  }

  /** The alert schema of a version folder ({@code "7.4"}): the one record that no other file refers to. */
  public Schema forVersion(String version) {
    return byVersion.computeIfAbsent(version, this::parse);
  }

  private Schema parse(String version) {
    Path folder = root.resolve(version);
    if (!Files.isDirectory(folder)) {
      throw new SchemaException("no schema folder " + folder + " for schema version " + version
          + "; point the schema folder at the survey's schemas (one sub-folder per version)");
    }
    List<Path> pending;
    try (Stream<Path> files = Files.list(folder)) {
      pending = new ArrayList<>(files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList());
    } catch (IOException e) {
      throw new SchemaException("cannot list " + folder + ": " + e.getMessage());
    }
    // files refer to each other by name: find an order in which each file only refers to earlier ones
    List<String> ordered = new ArrayList<>();
    List<Schema> parsed = new ArrayList<>();
    while (!pending.isEmpty()) {
      String lastError = null;
      Path next = null;
      for (Path file : pending) {
        try {
          Schema.Parser parser = new Schema.Parser();
          for (String earlier : ordered) {
            parser.parse(earlier);
          }
          parsed.add(parser.parse(Files.readString(file)));
          ordered.add(Files.readString(file));
          next = file;
          break;
        } catch (AvroRuntimeException e) {
          lastError = file + ": " + e.getMessage();
        } catch (IOException e) {
          throw new SchemaException("cannot read " + file + ": " + e.getMessage());
        }
      }
      if (next == null) {
        throw new SchemaException("cannot parse the schemas of " + folder + ": " + lastError);
      }
      pending.remove(next);
    }
    return parsed.stream().filter(s -> s.getName().equals("alert")).findFirst()
        .orElseGet(() -> parsed.get(parsed.size() - 1));
  }
}
