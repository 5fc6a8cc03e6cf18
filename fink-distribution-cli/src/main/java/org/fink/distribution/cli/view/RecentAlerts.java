package org.fink.distribution.cli.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fink.distribution.kafka.ConsumedAlert;

/**
 * The last alerts the viewer received, numbered from 1 in arrival order; the oldest are forgotten beyond the
 * capacity. Thread-safe.
 *
 * <pre>{@code
 * RecentAlerts recent = new RecentAlerts(500);
 * long seq = recent.add(consumed);
 * ConsumedAlert again = recent.get(seq);   // null once forgotten
 * }</pre>
 */
public final class RecentAlerts {
  private final int capacity;
  private final LinkedHashMap<Long, ConsumedAlert> alerts;
  private long last;

  /** Keeps at most {@code capacity} alerts (at least 1). */
  public RecentAlerts(int capacity) {
    this.capacity = Math.max(1, capacity);
    this.alerts = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, ConsumedAlert> eldest) {
        return size() > RecentAlerts.this.capacity;
      }
    };
  }

  /** Stores {@code alert} and returns its number. */
  public synchronized long add(ConsumedAlert alert) {
    alerts.put(++last, alert);
    return last;
  }

  /** The alert numbered {@code seq}, or null if never received or forgotten. */
  public synchronized ConsumedAlert get(long seq) {
    return alerts.get(seq);
  }

  /** Alerts numbered after {@code seq}, oldest first, with their numbers. */
  public synchronized List<Map.Entry<Long, ConsumedAlert>> after(long seq) {
    List<Map.Entry<Long, ConsumedAlert>> found = new ArrayList<>();
    alerts.forEach((k, v) -> {
      if (k > seq) {
        found.add(Map.entry(k, v));
      }
    });
    return found;
  }

  /** How many alerts were received in all. */
  public synchronized long received() {
    return last;
  }

  /** The capacity. */
  public int capacity() {
    return capacity;
  }
}
