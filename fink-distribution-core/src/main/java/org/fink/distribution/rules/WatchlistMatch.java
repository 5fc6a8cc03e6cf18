package org.fink.distribution.rules;

import java.io.Serializable;

/**
 * The watchlist source nearest to an alert among those whose radius holds it.
 *
 * <pre>{@code
 * WatchlistMatch m = index.nearest(83.6331, 22.0145);   // null when no source is near
 * m.name();                 // "Crab"
 * m.separationArcsec();     // 0.1
 * }</pre>
 *
 * @param name the source's name in the catalog
 * @param separationArcsec angular distance from the alert to the source, arcseconds
 */
public record WatchlistMatch(String name, double separationArcsec) implements Serializable {
}
