package org.fink.distribution.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaFilesTest {

  @TempDir Path dir;

  private static Schema distribution(String... select) {
    return DistributionSchema.derive(ZtfLikeSchema.alert(), new DistributionStream(DistributionRules.DEFAULT_STREAM,
        null, Stream.of(select).map(FieldPath::of).toList(), List.of(), List.of()));
  }

  private List<String> listing(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeThenReadGivesTheSameSchema() throws IOException {
    Schema schema = distribution("objectId", "candidate.magpsf", "prv_candidates");
    Path file = dir.resolve("schemas/distribution_schema.avsc");
    SchemaFiles.write(file, schema);
    assertEquals(schema, SchemaFiles.read(file));
    assertEquals(schema.toString(true) + "\n", Files.readString(file, StandardCharsets.UTF_8),
        "pretty JSON with a trailing newline");
    assertEquals(List.of("distribution_schema.avsc"), listing(file.getParent()), "folder created, no temp file");
  }

  @Test
  void replaceIsAtomicAndLeavesNoTempFile() throws IOException {
    Path file = dir.resolve("distribution_schema.avsc");
    Schema first = distribution("objectId");
    Schema second = distribution("objectId", "candidate");
    SchemaFiles.write(file, first);
    String firstText = Files.readString(file);
    try (InputStream before = Files.newInputStream(file)) {
      SchemaFiles.write(file, second);
      // a reader that opened the old file still reads all of it: the new file replaced it, it was not rewritten
      assertEquals(firstText, new String(before.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(second, SchemaFiles.read(file));
    assertNotEquals(first, second);
    assertEquals(List.of("distribution_schema.avsc"), listing(dir));
  }

  @Test
  void relativePathIsWrittenToo() throws IOException {
    Path file = dir.resolve("a/../b.avsc");
    Schema schema = distribution("candid");
    SchemaFiles.write(file, schema);
    assertEquals(schema, SchemaFiles.read(dir.resolve("b.avsc")));
  }

  @Test
  void readErrorsNameTheFile() throws IOException {
    Path missing = dir.resolve("missing.avsc");
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaFiles.read(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path broken = dir.resolve("broken.avsc");
    Files.writeString(broken, "{\"type\": \"record\", \"name\": \"x\"");
    SchemaException e2 = assertThrows(SchemaException.class, () -> SchemaFiles.read(broken));
    assertTrue(e2.getMessage().contains(broken.toString()), e2.getMessage());
  }

  @Test
  void writeErrorNamesTheFileAndLeavesNothing() throws IOException {
    Path notAFolder = dir.resolve("plain");
    Files.writeString(notAFolder, "x");
    Path file = notAFolder.resolve("s.avsc");
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaFiles.write(file, distribution("objectId")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(notAFolder + " exists and is not a folder"), e.getMessage());
    assertTrue(e.getMessage().contains("DISTRIBUTION_SCHEMA"), e.getMessage());
    assertEquals(List.of("plain"), listing(dir));
  }

  @Test
  void aReadOnlyFolderIsSaidToBeOne() throws IOException {
    Path readOnly = Files.createDirectories(dir.resolve("read-only"));
    assertTrue(readOnly.toFile().setWritable(false, false));
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly), "running as root: folders are"
          + " always writable");
      Path file = readOnly.resolve("s.avsc");
      SchemaException e = assertThrows(SchemaException.class,
          () -> SchemaFiles.write(file, distribution("objectId")));
      assertTrue(e.getMessage().startsWith("cannot write schema file " + file + ": permission denied on "
          + readOnly), e.getMessage());
    } finally {
      readOnly.toFile().setWritable(true, false);
    }
  }

  @Test
  void failedReplaceLeavesNoTempFile() throws IOException {
    Path file = dir.resolve("distribution_schema.avsc");
    Files.createDirectories(file.resolve("in-the-way"));   // a non-empty folder where the file should go
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaFiles.write(file, distribution("objectId")));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(List.of("distribution_schema.avsc"), listing(dir));
  }

  @Test
  void forTopicUsesTheDefaultFileForTheDefaultTopicAndSiblingsForOthers() {
    Path defaultFile = dir.resolve("schemas/distribution_schema.avsc");
    assertEquals(defaultFile, SchemaFiles.forTopic(defaultFile, "fink_outstream", "fink_outstream"));
    assertEquals(dir.resolve("schemas/fink_sn_candidates.avsc"),
        SchemaFiles.forTopic(defaultFile, "fink_outstream", "fink_sn_candidates"));
    Path relative = Path.of("schemas/distribution_schema.avsc");
    assertEquals(relative, SchemaFiles.forTopic(relative, "fink_outstream", "fink_outstream"));
    assertEquals(relative.toAbsolutePath().getParent().resolve("other.avsc"),
        SchemaFiles.forTopic(relative, "fink_outstream", "other"));
  }
}
