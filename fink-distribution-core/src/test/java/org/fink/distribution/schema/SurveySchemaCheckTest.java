package org.fink.distribution.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.junit.jupiter.api.Test;

/** A survey's alert schema is recognized; a foreign one, or one without a usable id or time, is refused with why. */
class SurveySchemaCheckTest {
  @Test
  void aZtfAlertSchemaIsOne() {
    assertEquals(Optional.empty(), SurveySchemaCheck.problem(Survey.ZTF, ZtfLikeSchema.alert()));
  }

  @Test
  void aForeignRecordIsNamed() {
    Schema weather = SchemaBuilder.record("Weather").namespace("com.example").fields().requiredLong("candid")
        .endRecord();
    assertEquals(Optional.of("its schema is the record com.example.Weather, not a ZTF alert (ztf.alert)"),
        SurveySchemaCheck.problem(Survey.ZTF, weather));
    assertEquals(Optional.of("its schema is a string, not a ZTF alert (ztf.alert)"),
        SurveySchemaCheck.problem(Survey.ZTF, Schema.create(Schema.Type.STRING)));
  }

  @Test
  void aZtfAlertIsNotARubinOne() {
    String problem = SurveySchemaCheck.problem(Survey.RUBIN, ZtfLikeSchema.alert()).orElseThrow();
    assertTrue(problem.contains("not a Rubin alert (lsst.vM_N.alert)"), problem);
  }

  @Test
  void aRubinAlertNeedsItsSourceIdAndTime() {
    Schema noTime = SchemaBuilder.record("alert").namespace("lsst.v9_0").fields()
        .name("diaSource").type(SchemaBuilder.record("diaSource").fields().requiredLong("diaSourceId").endRecord())
        .noDefault().endRecord();
    assertEquals(Optional.of("its schema lsst.v9_0.alert has no observation time field diaSource.midpointMjdTai"),
        SurveySchemaCheck.problem(Survey.RUBIN, noTime));
  }

  @Test
  void aNullableIdIsRefused() {
    Schema nullableId = SchemaBuilder.record("alert").namespace("ztf").fields().optionalLong("candid")
        .name("candidate").type(SchemaBuilder.record("candidate").fields().requiredDouble("jd").endRecord())
        .noDefault().endRecord();
    String problem = SurveySchemaCheck.problem(Survey.ZTF, nullableId).orElseThrow();
    assertTrue(problem.startsWith("its alert id field candid is a union [null, long]"), problem);
  }
}
