package org.fink.distribution.rules.avro;

import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.WatchlistIndex;
import org.fink.distribution.rules.WatchlistMatch;

/**
 * The watchlist source an Avro alert matches: the value of {@link Watchlist#NAME_FIELD} and
 * {@link Watchlist#SEPARATION_FIELD} that an annotating watchlist adds. The catalog is read (and indexed) once, when
 * the matcher is made.
 *
 * <pre>{@code
 * WatchlistMatcher matcher = new WatchlistMatcher(watchlist);
 * WatchlistMatch m = matcher.match(alert);   // null when the alert is near no source
 * }</pre>
 */
public final class WatchlistMatcher {
  private final FieldPath ra;
  private final FieldPath dec;
  private final WatchlistIndex index;

  /** @throws IllegalArgumentException listing the problems of the catalog */
  public WatchlistMatcher(Watchlist watchlist) {
    this.ra = watchlist.ra();
    this.dec = watchlist.dec();
    this.index = watchlist.index();
  }

  /** The nearest source whose radius holds the alert's position; null when none does or a coordinate is null. */
  public WatchlistMatch match(GenericRecord alert) {
    return RecordPath.value(alert, ra) instanceof Number r && RecordPath.value(alert, dec) instanceof Number d
        ? index.nearest(r.doubleValue(), d.doubleValue()) : null;
  }
}
