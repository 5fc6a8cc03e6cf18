package org.fink.distribution.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.fink.distribution.testkit.SharedData;
import org.fink.distribution.rules.SchemaPaths;
import org.junit.jupiter.api.Test;

class SchemaMergerTest {

  private static final List<String> VERSIONS = List.of("3.1", "3.2", "3.3", "4.02");

  private static Map<String, Schema> ztf() {
    Map<String, Schema> schemas = new LinkedHashMap<>();
    for (String v : VERSIONS) {
      schemas.put(v, SharedData.ztfSchema(v));
    }
    return schemas;
  }

  private static Schema field(Schema record, String name) {
    Schema.Field field = record.getField(name);
    assertNotNull(field, "no field " + name + " in " + record.getFullName());
    return SchemaPaths.nonNull(field.schema());
  }

  private static void assertNullableEverywhere(Schema schema, Set<String> seen, String path) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        for (Schema.Field f : schema.getFields()) {
          String at = path + "." + f.name();
          Schema union = f.schema();
          assertEquals(Schema.Type.UNION, union.getType(), at);
          assertEquals(Schema.Type.NULL, union.getTypes().get(0).getType(), at);
          assertEquals(2, union.getTypes().size(), at);
          assertEquals(JsonProperties.NULL_VALUE, f.defaultVal(), at + " default");
          assertNullableEverywhere(union.getTypes().get(1), seen, at);
        }
      }
      case ARRAY -> assertNullableEverywhere(SchemaPaths.nonNull(schema.getElementType()), seen, path + "[]");
      default -> { }
    }
  }

  @Test
  void mergedZtfSupersetHasEveryVersionsFieldsNullableWithFullNames() {
    Map<String, Schema> v = ztf();
    Schema merged = SchemaMerger.merge(List.of(v.get("3.1"), v.get("3.3"), v.get("4.02")));

    assertEquals("ztf.alert", merged.getFullName());
    Schema candidate = field(merged, "candidate");
    assertEquals("ztf.alert.candidate", candidate.getFullName());
    assertEquals(Schema.Type.FLOAT, field(candidate, "drb").getType(), "candidate.drb, new in 3.3");
    Schema prv = SchemaPaths.nonNull(field(merged, "prv_candidates").getElementType());
    assertEquals("ztf.alert.prv_candidate", prv.getFullName());
    assertNotNull(prv.getField("magzpsci"), "prv_candidates[].magzpsci, new in 3.2");
    Schema fp = SchemaPaths.nonNull(field(merged, "fp_hists").getElementType());
    assertEquals("ztf.alert.fp_hist", fp.getFullName());
    assertEquals("ztf.alert.cutout", field(merged, "cutoutScience").getFullName());

    // every field of every version is in the superset, at the same place
    for (Schema version : v.values()) {
      for (var path : SchemaPaths.allPaths(version)) {
        assertTrue(SchemaPaths.find(merged, path).isPresent(), "missing " + path);
      }
    }
    assertNullableEverywhere(merged, new HashSet<>(), "alert");
    // the merged schema is a valid schema on its own
    assertEquals(merged, new Schema.Parser().parse(merged.toString()));
  }

  @Test
  void mergedZtfReadsEveryVersion() {
    Map<String, Schema> v = ztf();
    Schema merged = SchemaMerger.merge(List.of(v.get("3.1"), v.get("3.3"), v.get("4.02")));
    for (Map.Entry<String, Schema> writer : v.entrySet()) {
      var result = SchemaCompatibility.checkReaderWriterCompatibility(merged, writer.getValue());
      assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
          () -> "version " + writer.getKey() + ": " + result.getDescription());
    }
  }

  @Test
  void realAlertsOfEveryVersionReadIntoTheMergedSchema() throws IOException {
    Path alerts = SharedData.require("ztf/alerts");
    Map<String, Schema> versions = ztf();
    Schema merged = SchemaMerger.merge(List.copyOf(versions.values()));
    Map<String, Integer> perVersion = new LinkedHashMap<>();
    for (Map<String, String> row : SharedData.manifest(alerts.resolve("MANIFEST.tsv"))) {
      String version = row.get("writer_schema");
      Path file = alerts.resolve(row.get("file"));
      SharedData.Container original = SharedData.readContainer(file);
      assertEquals(SchemaNormalization.parsingFingerprint64(versions.get(version)),
          SchemaNormalization.parsingFingerprint64(original.writer()), file + " is written with ZTF " + version);

      GenericRecord read;
      try (InputStream in = Files.newInputStream(file);
          DataFileStream<GenericRecord> stream =
              new DataFileStream<>(in, new GenericDatumReader<>(original.writer(), merged))) {
        read = stream.next();
      }
      assertEquals(merged, read.getSchema());
      assertEquals(row.get("objectId"), read.get("objectId").toString());
      assertEquals(Long.parseLong(row.get("candid")), read.get("candid"));
      assertSameValues(original.records().get(0), read, file.getFileName().toString());

      GenericRecord candidate = (GenericRecord) read.get("candidate");
      if (version.equals("3.1") || version.equals("3.2")) {
        assertNull(candidate.get("drb"), file + ": drb is new in 3.3");
      }
      if (!version.equals("4.02")) {
        assertNull(read.get("fp_hists"), file + ": fp_hists is new in 4.02");
      }
      if (version.equals("3.1") && read.get("prv_candidates") != null) {
        for (Object p : (List<?>) read.get("prv_candidates")) {
          assertNull(((GenericRecord) p).get("magzpsci"), file + ": prv magzpsci is new in 3.2");
        }
      }
      perVersion.merge(version, 1, Integer::sum);
    }
    assertEquals(Set.copyOf(VERSIONS), perVersion.keySet(), "alerts of every version: " + perVersion);
    assertEquals(388, perVersion.values().stream().mapToInt(Integer::intValue).sum());
  }

  /** Every value of {@code original} (read with its writer schema) is in {@code merged} at the same path. */
  private static void assertSameValues(Object original, Object merged, String path) {
    if (original instanceof GenericRecord o) {
      GenericRecord m = (GenericRecord) merged;
      for (Schema.Field f : o.getSchema().getFields()) {
        assertSameValues(o.get(f.name()), m.get(f.name()), path + "." + f.name());
      }
    } else if (original instanceof List<?> o) {
      List<?> m = (List<?>) merged;
      assertEquals(o.size(), m.size(), path);
      for (int i = 0; i < o.size(); i++) {
        assertSameValues(o.get(i), m.get(i), path + "[" + i + "]");
      }
    } else if (original instanceof Utf8 || original instanceof CharSequence) {
      assertEquals(original.toString(), merged.toString(), path);
    } else if (original instanceof ByteBuffer o) {
      assertEquals(o, merged, path);
    } else if (original instanceof Number o && merged instanceof Number m && o.getClass() != m.getClass()) {
      assertEquals(o.doubleValue(), m.doubleValue(), path);
    } else {
      assertEquals(original, merged, path);
    }
  }

  @Test
  void typeConflictBetweenVersionsNamesTheField() {
    Schema v1 = SchemaBuilder.record("alert").namespace("s").fields()
        .name("candidate").type(SchemaBuilder.record("candidate").namespace("s.alert").fields()
            .requiredInt("field").endRecord()).noDefault()
        .endRecord();
    Schema v2 = SchemaBuilder.record("alert").namespace("s").fields()
        .name("candidate").type(SchemaBuilder.record("candidate").namespace("s.alert").fields()
            .optionalString("field").endRecord()).noDefault()
        .endRecord();
    SchemaException e = assertThrows(SchemaException.class, () -> SchemaMerger.merge(List.of(v1, v2)));
    assertTrue(e.getMessage().contains("candidate.field"), e.getMessage());
    assertTrue(e.getMessage().contains("int") && e.getMessage().contains("string"), e.getMessage());
  }

  @Test
  void numericTypesWidenAndNewFieldsAppend() {
    Schema v1 = SchemaBuilder.record("r").namespace("s").fields()
        .requiredInt("n").requiredFloat("x").endRecord();
    Schema v2 = SchemaBuilder.record("r").namespace("s").fields()
        .requiredLong("n").requiredDouble("x").optionalString("added").endRecord();
    Schema merged = SchemaMerger.merge(List.of(v1, v2));
    assertEquals(List.of("n", "x", "added"), merged.getFields().stream().map(Schema.Field::name).toList());
    assertEquals(Schema.Type.LONG, field(merged, "n").getType());
    assertEquals(Schema.Type.DOUBLE, field(merged, "x").getType());
    for (Schema writer : List.of(v1, v2)) {
      assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
          SchemaCompatibility.checkReaderWriterCompatibility(merged, writer).getType());
    }
  }

  @Test
  void mergingNothingIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> SchemaMerger.merge(List.of()));
  }
}
