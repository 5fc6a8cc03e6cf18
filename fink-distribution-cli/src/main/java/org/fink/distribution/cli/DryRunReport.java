package org.fink.distribution.cli;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.fink.distribution.spark.DryRun;

/**
 * The text {@code fink rules dry-run} prints for a {@link DryRun.Result}: counts with their noun in the right number,
 * sizes in bytes, KB, MB or GB, and per condition both views of what it rejects, e.g.
 *
 * <pre>{@code
 * 16 alerts over 1 night in the science database /data/science_db
 * stream bright -> topic fink_bright_ztf: 1 alert would be published (3.2 KB, 1 alert per night)
 *   per condition, alerts that fail it (counted independently: an alert failing several conditions counts under
 *   each, so these overlap) and, in brackets, alerts that fail only it (and pass the others):
 *          10 fail candidate.magpsf < 18   (4 fail only this condition)
 * }</pre>
 */
final class DryRunReport {
  private DryRunReport() {}

  /** The whole report, lines ending in a newline. */
  static String of(DryRun.Result result, String dbPath, LocalDate since, String defaultTopic) {
    StringBuilder out = new StringBuilder();
    out.append(count(result.scanned(), "alert")).append(" over ").append(count(result.nights(), "night"))
        .append(" in the science database ").append(dbPath).append(since == null ? "" : " since " + since)
        .append('\n');
    for (DryRun.StreamEstimate s : result.streams()) {
      out.append("stream ").append(s.stream()).append(" -> topic ")
          .append(s.topic() == null ? defaultTopic : s.topic()).append(": ").append(count(s.passed(), "alert"))
          .append(" would be published (").append(size(s.bytes()))
          .append(", ").append(perNight(s.perNight())).append(")\n");
      if (!s.rejectedBy().isEmpty()) {
        out.append(s.rejectedBy().size() == 1 ? "  alerts that fail the condition:\n"
            : "  per condition, alerts that fail it (counted independently: an alert failing several conditions"
                + " counts under each, so these overlap) and, in brackets, alerts that fail only it (and pass the"
                + " others):\n");
        for (Map.Entry<String, Long> e : s.rejectedBy().entrySet()) {
          long n = e.getValue();
          out.append(String.format(Locale.ROOT, "    %8d %s %s", n, n == 1 ? "fails" : "fail", e.getKey()));
          if (s.rejectedBy().size() > 1) {
            long only = s.rejectedOnlyBy().getOrDefault(e.getKey(), 0L);
            out.append("   (").append(only).append(only == 1 ? " fails" : " fail").append(" only this condition)");
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  /** {@code 1 alert}, {@code 0 alerts}, {@code 16 alerts}. */
  static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }

  /** Bytes in a unit that shows them: {@code 1 byte}, {@code 950 bytes}, {@code 3.2 KB}, {@code 12.5 MB}, {@code 1.2 GB}. */
  static String size(long bytes) {
    if (bytes < 1000) {
      return count(bytes, "byte");
    }
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    }
    if (bytes < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  /** {@code 1 alert per night}, {@code 0 alerts per night}, {@code 0.026}, {@code 2.5}, {@code 12} alerts per night. */
  static String perNight(double n) {
    if (n == Math.rint(n) && n < Long.MAX_VALUE) {
      return count((long) n, "alert") + " per night";
    }
    if (n < 1) {  // two significant digits: 0.026, not 0.0
      return new java.math.BigDecimal(n).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString()
          + " alerts per night";
    }
    return String.format(Locale.ROOT, n < 10 ? "%.1f alerts per night" : "%.0f alerts per night", n);
  }
}
