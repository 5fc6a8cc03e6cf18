package org.fink.distribution.testkit;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** A small science-database schema shaped like a ZTF alert, for tests. */
public final class ZtfLikeSchema {
  private ZtfLikeSchema() {}

  public static Schema candidate() {
    return SchemaBuilder.record("candidate").namespace("ztf.alert").doc("detection of this alert").fields()
        .name("magpsf").doc("PSF magnitude").type().floatType().noDefault()
        .name("isdiffpos").doc("t or f: positive or negative difference").type().stringType().noDefault()
        .name("jd").doc("observation Julian date").type().doubleType().noDefault()
        .name("fid").doc("filter id").type().intType().noDefault()
        .name("ssnamenr").doc("nearest solar system object").type().optional().stringType()
        .endRecord();
  }

  public static Schema prvCandidate() {
    return SchemaBuilder.record("prv_candidate").namespace("ztf.alert").fields()
        .requiredDouble("jd")
        .optionalFloat("magpsf")
        .requiredInt("fid")
        .endRecord();
  }

  public static Schema cutout() {
    return SchemaBuilder.record("cutout").namespace("ztf.alert").fields()
        .requiredString("fileName")
        .requiredBytes("stampData")
        .endRecord();
  }

  /** objectId, candid, candidate, prv_candidates (nullable array of records), cutoutScience (nullable record). */
  public static Schema alert() {
    return SchemaBuilder.record("alert").namespace("ztf").doc("ZTF-like alert").fields()
        .name("objectId").doc("object identifier").type().stringType().noDefault()
        .requiredLong("candid")
        .name("candidate").type(candidate()).noDefault()
        .name("prv_candidates").type().optional().array().items(prvCandidate())
        .name("cutoutScience").type().optional().type(cutout())
        .endRecord();
  }
}
