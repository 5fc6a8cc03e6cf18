package org.fink.distribution.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the rows of a watchlist catalog as a {@link WatchlistFormat} reads them, checking each (range of ra, dec
 * and radius, unique names, at most {@link WatchlistCatalog#MAX_SOURCES}) and recording every problem with the file,
 * the row and the column. A reader reports what only it can see (a missing column, an empty or non-numeric cell)
 * with {@link #problem} before it calls {@link #add} for that row; a row with a problem is left out.
 *
 * <pre>{@code
 * rows.add(2, "Crab", 83.63308, 22.0145, Double.NaN);   // NaN radius: the watchlist's
 * }</pre>
 */
public final class WatchlistRows {
  private final Path file;
  private final String rowWord;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Long> rowOf = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private double[] ra = new double[1024];
  private double[] dec = new double[1024];
  private double[] radius = new double[1024];
  private int count;
  private int countAtLastRow;
  private boolean full;

  /** @param rowWord how rows are called in messages: {@code line} (CSV) or {@code row} (Parquet) */
  WatchlistRows(Path file, String rowWord) {
    this.file = file;
    this.rowWord = rowWord;
  }

  /** Records a problem of {@code row} (0: of the whole file) and {@code column} (null: of the whole row). */
  public void problem(long row, String column, String message) {
    count++;
    if (count <= WatchlistCatalog.MAX_PROBLEMS) {
      problems.add("watchlist catalog " + file + (row > 0 ? ", " + rowWord + " " + row : "") + ": "
          + (column != null ? "column " + column + " " : row > 0 ? "the " + rowWord + " " : "the file ") + message);
    }
  }

  /** How many problems so far. */
  public int problems() {
    return count;
  }

  /** True once the catalog holds {@link WatchlistCatalog#MAX_SOURCES} and a row more was offered: stop reading. */
  public boolean full() {
    return full;
  }

  /**
   * Adds a source, or records what is wrong with it. NaN for {@code ra} or {@code dec} means a value the reader has
   * already reported; NaN for {@code radiusArcsec} means the watchlist's radius.
   */
  public void add(long row, String name, double ra, double dec, double radiusArcsec) {
    if (names.size() == WatchlistCatalog.MAX_SOURCES) {
      problem(row, null, "is beyond the limit of " + WatchlistCatalog.MAX_SOURCES + " sources; split the catalog"
          + " over several watchlists");
      full = true;
      return;
    }
    String shownName = name == null ? "" : name.strip();
    if (shownName.isEmpty()) {
      problem(row, "name", "is empty; give every source a name");
    }
    if (!Double.isNaN(ra) && (ra < 0 || ra >= 360)) {
      problem(row, "ra", "is " + plain(ra) + ", outside [0, 360); give the right ascension in degrees (J2000), e.g."
          + " 83.63308");
    }
    if (!Double.isNaN(dec) && (dec < -90 || dec > 90)) {
      problem(row, "dec", "is " + plain(dec) + ", outside [-90, 90]; give the declination in degrees (J2000), e.g."
          + " 22.0145");
    }
    if (!Double.isNaN(radiusArcsec) && !(radiusArcsec > 0 && radiusArcsec <= WatchlistCatalog.MAX_RADIUS_ARCSEC)) {
      problem(row, "radius", "is " + plain(radiusArcsec) + "; give a radius in arcseconds above 0 and at most "
          + (int) WatchlistCatalog.MAX_RADIUS_ARCSEC + ", or leave the cell empty for the watchlist's radius");
    }
    if (!shownName.isEmpty()) {
      Long first = rowOf.putIfAbsent(shownName, row);
      if (first != null) {
        problem(row, "name", "holds \"" + WatchlistCatalog.shown(shownName) + "\", already the name of the source on "
            + rowWord + " " + first + "; give each source a unique name");
      }
    }
    boolean sound = count == countAtLastRow && !Double.isNaN(ra) && !Double.isNaN(dec);
    countAtLastRow = count;
    if (!sound) {
      return;
    }
    int i = names.size();
    if (i == this.ra.length) {
      this.ra = Arrays.copyOf(this.ra, i * 2);
      this.dec = Arrays.copyOf(this.dec, i * 2);
      this.radius = Arrays.copyOf(this.radius, i * 2);
    }
    names.add(shownName);
    this.ra[i] = ra + 0.0;  // no -0.0
    this.dec[i] = dec;
    this.radius[i] = radiusArcsec;
  }

  private static String plain(double value) {
    return Double.isFinite(value) ? java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
        : Double.toString(value);
  }

  /** The catalog, or the problems. */
  WatchlistCatalog.Checked checked() {
    if (count == 0 && names.isEmpty()) {
      problem(0, null, "has no source; add one " + rowWord + " per source with its name, ra and dec");
    }
    if (count > 0) {
      List<String> all = new ArrayList<>(problems);
      if (count > WatchlistCatalog.MAX_PROBLEMS) {
        all.add("watchlist catalog " + file + ": " + (count - WatchlistCatalog.MAX_PROBLEMS) + " more problems; fix"
            + " the ones above and check again");
      }
      return new WatchlistCatalog.Checked(null, all);
    }
    int n = names.size();
    return new WatchlistCatalog.Checked(new WatchlistCatalog(file, names.toArray(String[]::new),
        Arrays.copyOf(ra, n), Arrays.copyOf(dec, n), Arrays.copyOf(radius, n)), List.of());
  }
}
