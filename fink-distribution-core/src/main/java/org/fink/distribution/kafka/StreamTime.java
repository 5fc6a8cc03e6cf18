package org.fink.distribution.kafka;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A point in a stream's time as users write it: an ISO instant ({@code 2026-11-30T21:15:00Z}), an ISO date-time with
 * an offset ({@code 2026-11-30T22:15:00+01:00}) or without one (read as UTC), or a night ({@code 2026-11-30} or
 * {@code 20261130}), which stands for the start of that UTC date, 00:00:00Z.
 *
 * <pre>{@code
 * Instant since = StreamTime.parse("2026-11-30");           // 2026-11-30T00:00:00Z
 * Instant at = StreamTime.parse("2026-11-30T21:15:00Z");
 * }</pre>
 */
public final class StreamTime {
  private static final DateTimeFormatter BASIC_NIGHT = DateTimeFormatter.BASIC_ISO_DATE;

  private StreamTime() {}

  /**
   * The instant {@code text} stands for.
   *
   * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
   */
  public static Instant parse(String text) {
    String t = text == null ? "" : text.strip();
    try {
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (t.matches("\\d{8}")) {
        return LocalDate.parse(t, BASIC_NIGHT).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (t.endsWith("Z") || t.endsWith("z")) {
        return Instant.parse(t.toUpperCase(java.util.Locale.ROOT));
      }
      if (t.matches(".*T.*[+-]\\d{2}:?\\d{2}$")) {
        return OffsetDateTime.parse(t).toInstant();
      }
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time: give an ISO instant (2026-11-30T21:15:00Z),"
          + " a date-time in UTC (2026-11-30T21:15) or a night (2026-11-30 or 20261130, from 00:00 UTC)", e);
    }
  }
}
