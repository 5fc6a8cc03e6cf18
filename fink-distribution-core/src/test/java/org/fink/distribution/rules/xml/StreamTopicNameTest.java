package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.fink.distribution.rules.RuleException;
import org.junit.jupiter.api.Test;

/** A stream's topic must be a name Kafka accepts: checked when the rules are read, not after Kafka times out. */
class StreamTopicNameTest {
  private static RuleException refused(String topic) {
    String xml = "<distribution-rules>\n  <stream name=\"s\" topic=\"" + topic + "\"/>\n</distribution-rules>\n";
    return assertThrows(RuleException.class,
        () -> RulesXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "r.xml"));
  }

  @Test
  void aTopicKafkaRefusesIsAnErrorWithItsLine() {
    RuleException e = refused("fink bright");
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("r.xml:2:3: topic \"fink bright\" is not a valid Kafka topic name: use at most 249 letters, digits,"
        + " '.', '_' and '-'", e.getMessage());
    assertTrue(refused("x".repeat(250)).getMessage().contains("is not a valid Kafka topic name"));
    assertTrue(refused("..").getMessage().contains("is not a valid Kafka topic name"));
  }
}
