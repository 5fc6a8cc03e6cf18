package org.fink.distribution.config;

import java.util.Locale;

/**
 * Where a new distribution checkpoint starts ({@code DISTRIBUTION_OFFSET}): the whole science database, only records
 * ingested after the first start, or records ingested since an instant (epoch milliseconds).
 */
public record StartingOffset(Kind kind, long epochMillis) {
  public enum Kind { EARLIEST, LATEST, TIMESTAMP }

  public static StartingOffset parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "earliest":
        return new StartingOffset(Kind.EARLIEST, 0);
      case "latest":
        return new StartingOffset(Kind.LATEST, 0);
      default:
        long millis;
        try {
          millis = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new ConfigException("DISTRIBUTION_OFFSET=" + text
              + " is not valid; use earliest, latest or epoch milliseconds (e.g. 1700000000000)");
        }
        if (millis < 0) {
          throw new ConfigException("DISTRIBUTION_OFFSET=" + text + " is before 1970; use earliest, latest or epoch"
              + " milliseconds from 0 on (e.g. 1700000000000)");
        }
        return new StartingOffset(Kind.TIMESTAMP, millis);
    }
  }
}
