package org.fink.kafka.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * Where {@link FinkKafkaAdmin#planOffsetReset} moves a consumer group's offsets on a topic, as Kafka's own
 * {@code kafka-consumer-groups.sh --reset-offsets} does: to the earliest or latest offset, to the first message at or
 * after a time (the end when there is none), or by a number of messages from the committed offset (from the earliest
 * where the group committed none), kept within the partition.
 *
 * <pre>{@code
 * OffsetReset.toTime(Instant.parse("2026-11-30T00:00:00Z"));
 * OffsetReset.shiftBy(-100);   // read the last 100 again
 * }</pre>
 *
 * @param kind which reset
 * @param time with {@link Kind#TIME}, the time; else null
 * @param shift with {@link Kind#SHIFT}, messages to move (negative: back); else 0
 */
public record OffsetReset(Kind kind, Instant time, long shift) {
  /** The kinds of reset. */
  public enum Kind { EARLIEST, LATEST, TIME, SHIFT }

  public OffsetReset {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.TIME) != (time != null)) {
      throw new IllegalArgumentException("a time goes with TIME only");
    }
  }

  public static OffsetReset toEarliest() {
    return new OffsetReset(Kind.EARLIEST, null, 0);
  }

  public static OffsetReset toLatest() {
    return new OffsetReset(Kind.LATEST, null, 0);
  }

  public static OffsetReset toTime(Instant time) {
    return new OffsetReset(Kind.TIME, Objects.requireNonNull(time, "time"), 0);
  }

  public static OffsetReset shiftBy(long messages) {
    return new OffsetReset(Kind.SHIFT, null, messages);
  }
}
