package org.fink.distribution.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/** The JSON framing: plain JSON, base64 bytes, null, NaN and infinities as documented; read back exactly. */
class AlertJsonTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("""
      {"type": "record", "name": "alert", "namespace": "t", "fields": [
        {"name": "objectId", "type": ["null", "string"]},
        {"name": "candid", "type": ["null", "long"]},
        {"name": "candidate", "type": ["null", {"type": "record", "name": "candidate", "fields": [
          {"name": "magpsf", "type": ["null", "float"]},
          {"name": "ra", "type": ["null", "double"]},
          {"name": "isdiffpos", "type": ["null", "boolean"]}]}]},
        {"name": "mags", "type": ["null", {"type": "array", "items": ["null", "double"]}]},
        {"name": "stamp", "type": ["null", "bytes"]},
        {"name": "missing", "type": ["null", "int"]}]}
      """);

  private static GenericRecord alert() {
    GenericRecord candidate = new GenericData.Record(SCHEMA.getField("candidate").schema().getTypes().get(1));
    candidate.put("magpsf", Float.NaN);
    candidate.put("ra", Double.POSITIVE_INFINITY);
    candidate.put("isdiffpos", true);
    GenericRecord alert = new GenericData.Record(SCHEMA);
    alert.put("objectId", "ZTF18abcdefg");
    alert.put("candid", 2_345_678_901_234_567_890L);
    alert.put("candidate", candidate);
    alert.put("mags", List.of(18.25, Double.NEGATIVE_INFINITY));
    alert.put("stamp", ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF}));
    return alert;
  }

  @Test
  void writesPlainJsonAsDocumented() {
    String json = new String(AlertJson.write(alert()), StandardCharsets.UTF_8);
    assertEquals("{\"objectId\":\"ZTF18abcdefg\",\"candid\":2345678901234567890,\"candidate\":{\"magpsf\":\"NaN\","
        + "\"ra\":\"Infinity\",\"isdiffpos\":true},\"mags\":[18.25,\"-Infinity\"],\"stamp\":\"AAEC/w==\","
        + "\"missing\":null}", json);
  }

  @Test
  void readsBackTheSameRecordThroughTheCodec() {
    GenericRecord alert = alert();
    AlertCodec codec = AlertCodec.of(MessageFormat.JSON, SCHEMA);
    byte[] value = codec.encode(alert);
    assertEquals(alert, codec.decode(value));
    assertEquals(alert, AlertJson.read(value, SCHEMA));
    SchemaStore.Cache store = new SchemaStore.Cache();
    store.addSchema(SCHEMA);
    DecodedAlert decoded = AlertCodec.decoder(store, null, "-")
        .decode(value, MessageFormats.detect(null, value), OptionalLong.of(SchemaFingerprint.of(SCHEMA)));
    assertEquals(alert, decoded.alert());
  }

  @Test
  void badJsonNamesTheField() {
    byte[] wrongType = "{\"objectId\":\"x\",\"candid\":\"twelve\"}".getBytes(StandardCharsets.UTF_8);
    AlertCodecException e = assertThrows(AlertCodecException.class, () -> AlertJson.read(wrongType, SCHEMA));
    assertTrue(e.getMessage().contains("candid"), e.getMessage());
    byte[] truncated = "{\"objectId\":\"x\",\"cand".getBytes(StandardCharsets.UTF_8);
    assertThrows(AlertCodecException.class, () -> AlertJson.read(truncated, SCHEMA));
    byte[] badNumber = "{\"candidate\":{\"ra\":\"north\"}}".getBytes(StandardCharsets.UTF_8);
    e = assertThrows(AlertCodecException.class, () -> AlertJson.read(badNumber, SCHEMA));
    assertTrue(e.getMessage().contains("candidate.ra"), e.getMessage());
  }
}
