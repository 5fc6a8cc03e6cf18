package org.fink.distribution.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.avro.Schema;

/**
 * Writes and reads {@code .avsc} files. Writes are atomic: a consumer never sees half a schema.
 *
 * <pre>{@code
 * SchemaFiles.write(Path.of("schemas/distribution_schema.avsc"), schema);
 * Schema back = SchemaFiles.read(Path.of("schemas/distribution_schema.avsc"));
 * }</pre>
 */
public final class SchemaFiles {
  private SchemaFiles() {}

  /** Writes the schema (pretty JSON, trailing newline) to {@code file}, replacing it atomically. */
  public static void write(Path file, Schema schema) {
    Path target = file.toAbsolutePath().normalize();
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(temp, schema.toString(true) + "\n", StandardCharsets.UTF_8);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);  // after a failed write or move; a no-op once moved
      }
    } catch (IOException e) {
      throw new SchemaException("cannot write schema file " + file + ": " + reason(e) + "; make its folder"
          + " writable, or choose another schema file (DISTRIBUTION_SCHEMA)");
    }
  }

  /** The file system's reason in words: Java's file exceptions often say no more than the path. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException denied) {
      return "permission denied on " + denied.getFile();
    }
    if (e instanceof FileAlreadyExistsException exists) {
      return exists.getFile() + " exists and is not a folder";
    }
    if (e instanceof NoSuchFileException missing) {
      return "no such file or folder " + missing.getFile();
    }
    if (e instanceof DirectoryNotEmptyException notEmpty) {
      return "a folder is in the way at " + notEmpty.getFile();
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + (fs.getFile() == null ? "" : " (" + fs.getFile() + ")");
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Reads a schema file. */
  public static Schema read(Path file) {
    try {
      return new Schema.Parser().parse(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new SchemaException("cannot read schema file " + file + ": " + e.getMessage());
    }
  }

  /** Where the schema of {@code topic} is written: {@code defaultFile} for the default topic, else beside it. */
  public static Path forTopic(Path defaultFile, String defaultTopic, String topic) {
    if (topic.equals(defaultTopic)) {
      return defaultFile;
    }
    Path parent = defaultFile.toAbsolutePath().getParent();
    return parent.resolve(topic + ".avsc");
  }
}
