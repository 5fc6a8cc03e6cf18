package org.fink.distribution.kafka;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an {@link AlertConsumer} starts reading each partition it is given: the beginning, the end, the first message
 * written at or after a time (Kafka's offsets-for-times), or the group's committed offset (the beginning when it has
 * none).
 *
 * <pre>{@code
 * AlertConsumer.builder().servers(servers).topics("fink_outstream")
 *     .startAt(StartPosition.since(StreamTime.parse("2026-11-30"))).build();
 * }</pre>
 *
 * @param kind which start
 * @param time with {@link Kind#SINCE}: the time, else null
 */
public record StartPosition(Kind kind, Instant time) {
  /** The kinds of start. */
  public enum Kind {
    /** The group's committed offset; without one, the beginning. */
    COMMITTED,
    /** The first message kept. */
    BEGINNING,
    /** After the last message: only new messages. */
    LATEST,
    /** The first message whose timestamp is at or after the time; the end when there is none. */
    SINCE
  }

  public StartPosition {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.SINCE) != (time != null)) {
      throw new IllegalArgumentException("a time goes with SINCE only");
    }
  }

  public static StartPosition committed() {
    return new StartPosition(Kind.COMMITTED, null);
  }

  public static StartPosition beginning() {
    return new StartPosition(Kind.BEGINNING, null);
  }

  public static StartPosition latest() {
    return new StartPosition(Kind.LATEST, null);
  }

  public static StartPosition since(Instant time) {
    return new StartPosition(Kind.SINCE, Objects.requireNonNull(time, "time"));
  }
}
