package org.fink.distribution.kafka;

import java.time.Duration;

/**
 * When a {@link SurveyReplayer} sends each alert, relative to the start: as fast as possible, at a steady rate, or in
 * visits (a burst of alerts every period, as a survey's camera sends one exposure's alerts at once).
 *
 * <pre>{@code
 * ReplayPace.rate(100);                              // alert i at i * 10 ms
 * ReplayPace.visits(10_000, Duration.ofSeconds(30));   // alerts 0-9999 at 0 s, 10000-19999 at 30 s...
 * }</pre>
 *
 * @param perSecond alerts per second (0: no rate limit)
 * @param visitSize alerts per visit (0: no visits)
 * @param everyMillis milliseconds between the starts of two visits
 */
public record ReplayPace(double perSecond, int visitSize, long everyMillis) {
  /** No waiting. */
  public static final ReplayPace AS_FAST_AS_POSSIBLE = new ReplayPace(0, 0, 0);

  public ReplayPace {
    if (perSecond < 0 || visitSize < 0 || everyMillis < 0) {
      throw new IllegalArgumentException("a replay pace is positive: rate " + perSecond + "/s, visits of "
          + visitSize + " every " + everyMillis + " ms");
    }
  }

  /** {@code perSecond} alerts a second, evenly spaced. */
  public static ReplayPace rate(double perSecond) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("--rate " + perSecond + ": give a number of alerts per second above 0");
    }
    return new ReplayPace(perSecond, 0, 0);
  }

  /** {@code size} alerts at once, every {@code every}. */
  public static ReplayPace visits(int size, Duration every) {
    if (size <= 0 || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("--visit " + size + " --every " + every + ": give a visit size above 0"
          + " and a period above 0");
    }
    return new ReplayPace(0, size, every.toMillis());
  }

  /** Milliseconds after the start when alert {@code index} (from 0) is due. */
  public long dueMillis(long index) {
    if (visitSize > 0) {
      return index / visitSize * everyMillis;
    }
    if (perSecond > 0) {
      return (long) (index * 1000.0 / perSecond);
    }
    return 0;
  }

  /** The visit of alert {@code index} (0 when there are no visits). */
  public long visitOf(long index) {
    return visitSize > 0 ? index / visitSize : 0;
  }

  /**
   * A pace from the command line's options: {@code rate} alerts a second, or visits of {@code visit} alerts every
   * {@code every} ({@code 30s}, {@code 500ms}, {@code 2m}); none: as fast as possible.
   */
  public static ReplayPace parse(Double rate, Integer visit, String every) {
    if (rate != null && (visit != null || every != null)) {
      throw new IllegalArgumentException("--rate and --visit/--every are exclusive: choose a steady rate or visits");
    }
    if (rate != null) {
      return rate(rate);
    }
    if (visit != null || every != null) {
      if (visit == null || every == null) {
        throw new IllegalArgumentException("--visit N needs --every PERIOD (e.g. --visit 10000 --every 30s), and"
            + " the other way round");
      }
      return visits(visit, period(every));
    }
    return AS_FAST_AS_POSSIBLE;
  }

  /** {@code 30s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT30S}). */
  static Duration period(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
      }
      return Duration.parse(text.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--every " + text + ": not a period; write 30s, 500ms or 2m");
    }
  }
}
