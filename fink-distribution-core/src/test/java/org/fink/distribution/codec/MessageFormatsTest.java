package org.fink.distribution.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Recognizing the framing: the Fink framing by its schema key, never by an object id (Rubin's is a number). */
class MessageFormatsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void schemaKeysAndObjectIds() {
    byte[] record = {2, 'a', 0};
    assertEquals(MessageFormat.FINK, MessageFormats.detect(utf8("{\"type\":\"record\",\"name\":\"alert\"}"), record));
    assertEquals(MessageFormat.AVRO_RAW, MessageFormats.detect(utf8("170032915540492386"), record), "Rubin's key");
    assertEquals(MessageFormat.AVRO_RAW, MessageFormats.detect(utf8("ZTF18abcdefg"), record), "ZTF's key");
    assertEquals(MessageFormat.AVRO_RAW, MessageFormats.detect(null, record));
    assertFalse(MessageFormats.isSchemaKey(utf8("{\"objectId\": 1}")));
    assertTrue(MessageFormats.isSchemaKey(utf8(" {\"type\": \"record\"}\n")));
  }

  @Test
  void framedValuesWinOverTheKey() {
    byte[] schemaKey = utf8("{\"type\":\"record\"}");
    assertEquals(MessageFormat.AVRO_SINGLE_OBJECT,
        MessageFormats.detect(schemaKey, new byte[] {(byte) 0xC3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2}));
    assertEquals(MessageFormat.AVRO_CONTAINER, MessageFormats.detect(utf8("x"), new byte[] {'O', 'b', 'j', 1, 0}));
    assertEquals(MessageFormat.JSON, MessageFormats.detect(utf8("ZTF18abcdefg"), utf8("{\"objectId\":\"x\"}")));
  }
}
