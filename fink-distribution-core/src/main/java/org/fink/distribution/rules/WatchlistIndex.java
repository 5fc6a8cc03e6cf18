package org.fink.distribution.rules;

import java.io.Serializable;

/**
 * An in-memory sky index of a watchlist catalog: the sources sorted into declination zones at least as high as the
 * largest radius, and by right ascension inside a zone (the "zones" algorithm). A look-up reads the zone of the
 * position and its two neighbours, only over the right-ascension window the largest radius can reach (wrapping at
 * ra = 0/360, the whole zone near a pole), then tests each candidate exactly with the haversine of {@link
 * ConeGeometry}. Both evaluators (Spark and Avro) call this same class, so they agree by construction.
 *
 * <p>Primitive arrays and the names only: a million sources take about 45 MB (50 MB serialized: Spark broadcasts the
 * index).
 *
 * <pre>{@code
 * WatchlistIndex index = WatchlistCatalog.read(Path.of("catalog.csv")).index(2.0 / 3600);
 * WatchlistMatch m = index.nearest(alertRa, alertDec);   // null when outside every source's radius
 * }</pre>
 */
public final class WatchlistIndex implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The zones are never lower than this (degrees), so that there are at most about 500 000. */
  private static final double MIN_ZONE_HEIGHT = 180.0 / 500_000;

  private final double zoneHeight;
  private final double maxRadius;
  private final int[] zoneStart;
  private final double[] ra;
  private final double[] dec;
  private final double[] cosDec;
  private final double[] haversineLimit;
  private final int[] row;
  private final String[] name;

  /**
   * @param catalog the sources
   * @param defaultRadius radius (degrees) of the sources without their own
   */
  WatchlistIndex(WatchlistCatalog catalog, double defaultRadius) {
    int n = catalog.size();
    double[] radius = new double[n];
    double largest = 0;
    for (int i = 0; i < n; i++) {
      double own = catalog.radiusArcsec(i);
      radius[i] = Double.isNaN(own) ? defaultRadius : own / 3600;
      largest = Math.max(largest, radius[i]);
    }
    this.maxRadius = largest;
    this.zoneHeight = Math.max(largest, MIN_ZONE_HEIGHT);
    int zones = (int) Math.ceil(180 / zoneHeight);
    int[] zone = new int[n];
    for (int i = 0; i < n; i++) {
      zone[i] = zone(catalog.dec(i), zones);
    }
    int[] order = sortedByZoneAndRa(catalog, zone);
    this.ra = new double[n];
    this.dec = new double[n];
    this.cosDec = new double[n];
    this.haversineLimit = new double[n];
    this.row = new int[n];
    this.name = new String[n];
    this.zoneStart = new int[zones + 1];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      ra[k] = catalog.ra(i);
      dec[k] = catalog.dec(i);
      cosDec[k] = Math.cos(dec[k] * ConeGeometry.RADIANS_PER_DEGREE);
      double half = Math.sin(radius[i] * ConeGeometry.RADIANS_PER_DEGREE * 0.5);
      haversineLimit[k] = half * half;
      row[k] = i;
      name[k] = catalog.name(i);
      zoneStart[zone[i] + 1]++;
    }
    for (int z = 0; z < zones; z++) {
      zoneStart[z + 1] += zoneStart[z];
    }
  }

  /** Source numbers by zone, then right ascension, then number: a merge sort on primitives. */
  private static int[] sortedByZoneAndRa(WatchlistCatalog catalog, int[] zone) {
    int n = zone.length;
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    int[] b = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
          if (i < mid && (j >= hi || !after(catalog, zone, a[i], a[j]))) {
            b[k] = a[i++];
          } else {
            b[k] = a[j++];
          }
        }
      }
      int[] t = a;
      a = b;
      b = t;
    }
    return a;
  }

  /** Whether source {@code x} comes after source {@code y}. */
  private static boolean after(WatchlistCatalog catalog, int[] zone, int x, int y) {
    if (zone[x] != zone[y]) {
      return zone[x] > zone[y];
    }
    int byRa = Double.compare(catalog.ra(x), catalog.ra(y));
    return byRa != 0 ? byRa > 0 : x > y;
  }

  private int zone(double declination, int zones) {
    return Math.max(0, Math.min(zones - 1, (int) Math.floor((declination + 90) / zoneHeight)));
  }

  /** How many sources. */
  public int size() {
    return ra.length;
  }

  /**
   * The nearest source whose radius holds the position ({@code ra}, {@code dec}, degrees), or null when there is none
   * (or when a coordinate is NaN, infinite, or the declination beyond ±90). Of sources at exactly the same distance,
   * the first in the catalog.
   */
  public WatchlistMatch nearest(double ra, double dec) {
    if (!Double.isFinite(ra) || !Double.isFinite(dec) || Math.abs(dec) > 90 || size() == 0) {
      return null;
    }
    double ra0 = ra % 360;
    if (ra0 < 0) {
      ra0 += 360;
    }
    Best best = new Best(ra * ConeGeometry.RADIANS_PER_DEGREE, dec * ConeGeometry.RADIANS_PER_DEGREE);
    int zones = zoneStart.length - 1;
    int z = zone(dec, zones);
    double width = raWidth(dec);
    for (int zz = Math.max(0, z - 1); zz <= Math.min(zones - 1, z + 1); zz++) {
      int from = zoneStart[zz];
      int to = zoneStart[zz + 1];
      if (from == to) {
        continue;
      }
      if (width >= 180) {
        scan(from, to, best);
        continue;
      }
      double lo = ra0 - width;
      double hi = ra0 + width;
      scan(lowerBound(from, to, Math.max(lo, 0)), upperBound(from, to, Math.min(hi, 360)), best);
      if (lo < 0) {
        scan(lowerBound(from, to, lo + 360), to, best);
      }
      if (hi > 360) {
        scan(from, upperBound(from, to, hi - 360), best);
      }
    }
    return best.index < 0 ? null : new WatchlistMatch(name[best.index],
        2 * Math.asin(Math.sqrt(Math.min(1, best.haversine))) / ConeGeometry.RADIANS_PER_DEGREE * 3600);
  }

  /** Half the right-ascension extent (degrees) of a circle of the largest radius at {@code dec}, with a margin. */
  private double raWidth(double dec) {
    if (Math.abs(dec) + maxRadius >= 89.999) {
      return 360;
    }
    double s = Math.sin(maxRadius * ConeGeometry.RADIANS_PER_DEGREE)
        / Math.cos(dec * ConeGeometry.RADIANS_PER_DEGREE);
    return s >= 1 ? 360 : Math.asin(s) / ConeGeometry.RADIANS_PER_DEGREE * (1 + 1e-9) + 1e-9;
  }

  private void scan(int from, int to, Best best) {
    for (int k = from; k < to; k++) {
      // the haversine of ConeGeometry.contains, operation by operation
      double sinDec = Math.sin((best.decRadians - dec[k] * ConeGeometry.RADIANS_PER_DEGREE) * 0.5);
      double sinRa = Math.sin((best.raRadians - ra[k] * ConeGeometry.RADIANS_PER_DEGREE) * 0.5);
      double haversine = sinDec * sinDec + best.cosDec * cosDec[k] * (sinRa * sinRa);
      if (haversine <= haversineLimit[k] && (best.index < 0 || haversine < best.haversine
          || haversine == best.haversine && row[k] < row[best.index])) {
        best.index = k;
        best.haversine = haversine;
      }
    }
  }

  /** First index in [from, to) whose ra is at least {@code value}. */
  private int lowerBound(int from, int to, double value) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ra[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First index in [from, to) whose ra is above {@code value}. */
  private int upperBound(int from, int to, double value) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ra[mid] <= value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The best candidate so far of one look-up. */
  private static final class Best {
    final double raRadians;
    final double decRadians;
    final double cosDec;
    int index = -1;
    double haversine;

    Best(double raRadians, double decRadians) {
      this.raRadians = raRadians;
      this.decRadians = decRadians;
      this.cosDec = Math.cos(decRadians);
    }
  }
}
