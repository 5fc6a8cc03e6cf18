package org.fink.distribution.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.NameValidator;
import org.apache.avro.Schema;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.junit.jupiter.api.Test;

class DistributionSchemaTest {

  private static final Schema DB = ZtfLikeSchema.alert();

  private static DistributionStream stream(List<String> select, List<String> drop) {
    return new DistributionStream(DistributionRules.DEFAULT_STREAM, null,
        select.stream().map(FieldPath::of).toList(), drop.stream().map(FieldPath::of).toList(), List.of());
  }

  private static Schema derive(List<String> select, List<String> drop) {
    return DistributionSchema.derive(DB, stream(select, drop));
  }

  private static List<String> names(Schema record) {
    return record.getFields().stream().map(Schema.Field::name).toList();
  }

  /** The T of a field declared {@code ["null", T]} with default null; fails otherwise. */
  private static Schema nullableType(Schema.Field field) {
    Schema union = field.schema();
    assertEquals(Schema.Type.UNION, union.getType(), field.name());
    assertEquals(2, union.getTypes().size(), field.name());
    assertEquals(Schema.Type.NULL, union.getTypes().get(0).getType(), field.name() + ": null comes first");
    assertTrue(field.hasDefaultValue(), field.name());
    assertEquals(JsonProperties.NULL_VALUE, field.defaultVal(), field.name());
    return union.getTypes().get(1);
  }

  private static Schema fieldType(Schema record, String name) {
    Schema.Field field = record.getField(name);
    assertNotNull(field, "no field " + name + " in " + record.getFullName());
    return nullableType(field);
  }

  private static void assertAllNullable(Schema schema, List<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.contains(schema.getFullName())) {
          return;
        }
        seen.add(schema.getFullName());
        assertTrue(schema.getFullName().startsWith("fink.alert"), schema.getFullName());
        for (Schema.Field f : schema.getFields()) {
          assertAllNullable(nullableType(f), seen);
        }
      }
      case ARRAY -> {
        Schema items = schema.getElementType();
        assertEquals(Schema.Type.UNION, items.getType());
        assertAllNullable(items.getTypes().get(1), seen);
      }
      default -> { }
    }
  }

  @Test
  void selectedNestedFieldsStayNestedInScienceDbOrder() {
    Schema out = derive(List.of("candidate.jd", "objectId", "candidate.magpsf"), List.of());
    assertEquals("fink.alert", out.getFullName());
    assertEquals(List.of("objectId", "candidate"), names(out), "science-database order, not select order");
    Schema candidate = fieldType(out, "candidate");
    assertEquals(Schema.Type.RECORD, candidate.getType());
    assertEquals("fink.alert.candidate", candidate.getFullName());
    assertEquals(List.of("magpsf", "jd"), names(candidate));
    assertEquals(Schema.Type.FLOAT, fieldType(candidate, "magpsf").getType());
    assertEquals(Schema.Type.DOUBLE, fieldType(candidate, "jd").getType());
    assertEquals(Schema.Type.STRING, fieldType(out, "objectId").getType());
    assertNull(out.getField("candidate_magpsf"), "no flattened names");
  }

  @Test
  void selectRecordThenDropOneOfItsFields() {
    Schema out = derive(List.of("objectId", "candidate"), List.of("candidate.isdiffpos"));
    Schema candidate = fieldType(out, "candidate");
    assertEquals(List.of("magpsf", "jd", "fid", "ssnamenr"), names(candidate));
    assertEquals(Schema.Type.STRING, fieldType(candidate, "ssnamenr").getType(),
        "an already nullable field is not nested in a second union");
  }

  @Test
  void dropInsideArrayNarrowsItsItems() {
    Schema out = derive(List.of("objectId", "prv_candidates"), List.of("prv_candidates.magpsf"));
    Schema array = fieldType(out, "prv_candidates");
    assertEquals(Schema.Type.ARRAY, array.getType());
    Schema items = array.getElementType();
    assertEquals(Schema.Type.UNION, items.getType());
    Schema item = items.getTypes().get(1);
    assertEquals(Schema.Type.RECORD, item.getType());
    assertTrue(item.getFullName().startsWith("fink.alert."), item.getFullName());
    assertEquals(List.of("jd", "fid"), names(item));
  }

  @Test
  void selectInsideArrayNarrowsItsItems() {
    Schema out = derive(List.of("prv_candidates.magpsf", "prv_candidates.jd"), List.of());
    Schema item = fieldType(out, "prv_candidates").getElementType().getTypes().get(1);
    assertEquals(List.of("jd", "magpsf"), names(item));
  }

  @Test
  void emptySelectKeepsEveryField() {
    Schema out = derive(List.of(), List.of());
    assertEquals(names(DB), names(out));
    assertEquals(names(ZtfLikeSchema.candidate()), names(fieldType(out, "candidate")));
    Schema cutout = fieldType(out, "cutoutScience");
    assertEquals(List.of("fileName", "stampData"), names(cutout));
    assertEquals(Schema.Type.BYTES, fieldType(cutout, "stampData").getType());
    assertAllNullable(out, new ArrayList<>());

    Schema dropped = derive(List.of(), List.of("cutoutScience", "prv_candidates"));
    assertEquals(List.of("objectId", "candid", "candidate"), names(dropped));
  }

  @Test
  void everyFieldIsNullableWithNullDefaultAndNamesAreInNamespaceFink() {
    Schema out = derive(List.of("objectId", "candid", "candidate", "prv_candidates", "cutoutScience"), List.of());
    assertAllNullable(out, new ArrayList<>());
    assertEquals("fink", out.getNamespace());
    assertEquals("alert", out.getName());
    assertEquals("fink.alert.candidate", fieldType(out, "candidate").getFullName());
    assertEquals("fink.alert.cutoutScience", fieldType(out, "cutoutScience").getFullName());
  }

  @Test
  void docsAreCarried() {
    Schema out = derive(List.of("objectId", "candidate.magpsf"), List.of());
    assertEquals("ZTF-like alert", out.getDoc());
    assertEquals("object identifier", out.getField("objectId").doc());
    Schema candidate = fieldType(out, "candidate");
    assertEquals("detection of this alert", candidate.getDoc());
    assertEquals("PSF magnitude", candidate.getField("magpsf").doc());
  }

  @Test
  void derivationIsDeterministic() {
    DistributionStream stream = stream(List.of("objectId", "candidate", "prv_candidates"),
        List.of("candidate.fid", "prv_candidates.fid"));
    String first = DistributionSchema.derive(DB, stream).toString(true);
    String second = DistributionSchema.derive(DB, stream).toString(true);
    Schema reparsed = new Schema.Parser().parse(DB.toString());
    String third = DistributionSchema.derive(reparsed, stream).toString(true);
    assertEquals(first, second);
    assertEquals(first, third);
    // and the result is a valid schema that parses back to itself
    assertEquals(first, new Schema.Parser().parse(first).toString(true));
  }

  @Test
  void avroIllegalFieldNameIsRejectedWhenSelected() {
    String json = """
        {"type": "record", "name": "alert", "namespace": "ztf", "fields": [
          {"name": "objectId", "type": "string"},
          {"name": "3hsp", "type": ["null", "double"], "default": null},
          {"name": "candidate", "type": {"type": "record", "name": "candidate", "fields": [
            {"name": "mag-psf", "type": "float"}, {"name": "jd", "type": "double"}]}}
        ]}""";
    Schema db = new Schema.Parser(NameValidator.NO_VALIDATION).parse(json);
    assertNotNull(db.getField("3hsp"));

    SchemaException top = assertThrows(SchemaException.class,
        () -> DistributionSchema.derive(db, stream(List.of("objectId", "3hsp"), List.of())));
    assertTrue(top.getMessage().contains("field 3hsp"), top.getMessage());
    assertTrue(top.getMessage().contains("Avro forbids"), top.getMessage());

    SchemaException all = assertThrows(SchemaException.class,
        () -> DistributionSchema.derive(db, stream(List.of(), List.of())));
    assertTrue(all.getMessage().contains("field 3hsp"), all.getMessage());

    SchemaException nested = assertThrows(SchemaException.class,
        () -> DistributionSchema.derive(db, stream(List.of("candidate"), List.of())));
    assertTrue(nested.getMessage().contains("field candidate.mag-psf"), nested.getMessage());

    // not selected, or dropped: no problem
    Schema ok = DistributionSchema.derive(db, stream(List.of("objectId", "candidate.jd"), List.of()));
    assertEquals(List.of("objectId", "candidate"), names(ok));
    Schema dropped = DistributionSchema.derive(db, stream(List.of(), List.of("3hsp", "candidate.mag-psf")));
    assertEquals(List.of("objectId", "candidate"), names(dropped));
  }

  @Test
  void droppingAMissingFieldIsAnError() {
    SchemaException e = assertThrows(SchemaException.class,
        () -> derive(List.of("candidate"), List.of("candidate.pdiffimfilename")));
    assertTrue(e.getMessage().contains("cannot drop candidate.pdiffimfilename"), e.getMessage());
  }

  @Test
  void selectingAMissingFieldIsAnError() {
    SchemaException e = assertThrows(SchemaException.class,
        () -> derive(List.of("objectId", "candidate.magpfs"), List.of()));
    assertTrue(e.getMessage().contains("candidate.magpfs"), e.getMessage());
  }

  @Test
  void subFieldOfAPrimitiveIsAnError() {
    SchemaException e = assertThrows(SchemaException.class, () -> derive(List.of("objectId.x"), List.of()));
    assertTrue(e.getMessage().contains("objectId"), e.getMessage());
  }

  @Test
  void droppingEverythingIsAnError() {
    SchemaException e = assertThrows(SchemaException.class,
        () -> derive(List.of("objectId"), List.of("objectId")));
    assertTrue(e.getMessage().contains("distributes no field"), e.getMessage());
  }

  @Test
  void droppingAllSubFieldsRemovesTheRecord() {
    Schema out = derive(List.of("objectId", "cutoutScience"), List.of("cutoutScience.fileName",
        "cutoutScience.stampData"));
    assertEquals(List.of("objectId"), names(out));
    assertNull(out.getField("cutoutScience"));
  }
}
