package org.fink.distribution.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged schema of a download's topic folder: saved once per new version, read back by the next run, a field of
 * either version kept (nullable), and a version whose field changed type left out with a warning.
 */
class MergedTopicSchemasTest {
  private static final Schema V1 = SchemaBuilder.record("alert").namespace("ztf").fields()
      .requiredString("objectId").requiredString("publisher").endRecord();
  private static final Schema V2 = SchemaBuilder.record("alert").namespace("ztf").fields()
      .requiredString("objectId").optionalDouble("fink_score").endRecord();
  private static final Schema CLASH = SchemaBuilder.record("alert").namespace("ztf").fields()
      .requiredLong("objectId").endRecord();

  @TempDir
  Path dir;

  @Test
  void mergesEachNewVersionOnceAndResumesFromTheSavedFile() throws IOException {
    Path topic = dir.resolve("fink_outstream");
    MergedTopicSchemas first = new MergedTopicSchemas();
    Optional<Schema> one = first.add(topic, 1, V1);
    assertTrue(one.isPresent());
    first.save(topic, one.get());
    assertFalse(first.add(topic, 1, V1).isPresent(), "a version already merged");

    // the next run: reads _schema.avsc, the same version changes nothing, a new one adds its fields
    MergedTopicSchemas next = new MergedTopicSchemas();
    assertFalse(next.add(topic, 1, V1).isPresent());
    Schema merged = next.add(topic, 2, V2).orElseThrow();
    next.save(topic, merged);
    Schema saved = new Schema.Parser().parse(Files.readString(topic.resolve(MergedTopicSchemas.FILE_NAME)));
    for (String field : new String[] {"objectId", "publisher", "fink_score"}) {
      assertNotNull(saved.getField(field), field + " in " + saved);
      assertTrue(saved.getField(field).schema().isNullable(), field + " reads as null where a version lacks it");
    }
    assertFalse(Files.exists(topic.resolve("." + MergedTopicSchemas.FILE_NAME + ".tmp")));
  }

  @Test
  void aVersionWhoseFieldChangedTypeIsLeftOut() {
    Path topic = dir.resolve("fink_outstream");
    MergedTopicSchemas schemas = new MergedTopicSchemas();
    schemas.save(topic, schemas.add(topic, 1, V1).orElseThrow());
    assertFalse(schemas.add(topic, 3, CLASH).isPresent());
    assertNull(new MergedTopicSchemas().add(dir.resolve("other"), 3, CLASH).orElseThrow().getField("publisher"));
  }
}
