package org.fink.distribution.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times as users write them: instants, date-times with and without offset, nights. */
class StreamTimeTest {
  @Test
  void readsInstantsDateTimesAndNights() {
    assertEquals(Instant.parse("2026-11-30T21:15:00Z"), StreamTime.parse("2026-11-30T21:15:00Z"));
    assertEquals(Instant.parse("2026-11-30T21:15:00Z"), StreamTime.parse("2026-11-30T22:15:00+01:00"));
    assertEquals(Instant.parse("2026-11-30T21:15:00Z"), StreamTime.parse("2026-11-30T21:15"));
    assertEquals(Instant.parse("2026-11-30T00:00:00Z"), StreamTime.parse("2026-11-30"));
    assertEquals(Instant.parse("2026-11-30T00:00:00Z"), StreamTime.parse(" 20261130 "));
  }

  @Test
  void namesTheAcceptedFormsOfABadTime() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamTime.parse("yesterday"));
    assertTrue(e.getMessage().startsWith("'yesterday' is not a time: give an ISO instant"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StreamTime.parse("2026-13-40"));
  }

  @Test
  void aStartPositionHasATimeOnlyWhenSince() {
    assertEquals(StartPosition.Kind.SINCE, StartPosition.since(Instant.EPOCH).kind());
    assertThrows(IllegalArgumentException.class, () -> new StartPosition(StartPosition.Kind.LATEST, Instant.EPOCH));
  }
}
