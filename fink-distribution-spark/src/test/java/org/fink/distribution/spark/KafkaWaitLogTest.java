package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KafkaWaitLogTest {

  @Test
  void theTimeOfDayKeepsItsSecondsOnAWholeMinute() {
    // LocalTime.toString() prints 21:54 here: a log line of a wait that began on a whole minute lost its seconds
    assertEquals("21:54:00", KafkaWaitLog.utcTimeOfDay(Instant.parse("2026-12-05T21:54:00.250Z").toEpochMilli()));
    assertEquals("03:07:09", KafkaWaitLog.utcTimeOfDay(Instant.parse("2026-12-05T03:07:09.999Z").toEpochMilli()));
  }
}
