package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * True when the position given by the fields {@code ra}, {@code dec} (degrees) lies within the radius of some source
 * of a user catalog (a {@link WatchlistCatalog}): the source's own radius when the catalog gives one, else
 * {@code radius}. False when either field is null. The nearest such source is the match; with {@code annotate}, the
 * stream adds its name and separation to each alert it distributes, in the nullable fields {@link #NAME_FIELD} and
 * {@link #SEPARATION_FIELD} (null when the alert matches no source).
 *
 * <pre>{@code
 * Rules.watchlist("candidate.ra", "candidate.dec").file(Path.of("conf/examples/watchlist.csv"))
 *     .within(2, AngleUnit.ARCSEC).annotated();
 * }</pre>
 *
 * @param file the catalog; rules read from XML hold it resolved against the rules file's folder
 * @param annotate whether the stream adds the match's name and separation to its alerts
 */
public record Watchlist(FieldPath ra, FieldPath dec, Path file, BigDecimal radius, AngleUnit unit,
    boolean annotate) implements Condition {
  /** The output field holding the name of the matched source (string, null without match). */
  public static final String NAME_FIELD = "watchlist_name";
  /** The output field holding the separation from the matched source in arcseconds (double, null without match). */
  public static final String SEPARATION_FIELD = "watchlist_separation_arcsec";

  public Watchlist {
    Objects.requireNonNull(ra, "ra");
    Objects.requireNonNull(dec, "dec");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(unit, "unit");
    radius = Objects.requireNonNull(radius, "radius").stripTrailingZeros();
    if (radius.signum() <= 0 || unit.toDegrees(radius) * 3600 > WatchlistCatalog.MAX_RADIUS_ARCSEC) {
      throw new IllegalArgumentException("watchlist radius " + radius.toPlainString() + " " + unit.xmlName()
          + " is not above 0 and at most 1 degree; give e.g. radius=\"2\" unit=\"arcsec\"");
    }
  }

  /** This watchlist, adding the match's name and separation to the alerts of its stream. */
  public Watchlist annotated() {
    return new Watchlist(ra, dec, file, radius, unit, true);
  }

  /** The radius of sources without their own, degrees. */
  public double radiusDegrees() {
    return unit.toDegrees(radius);
  }

  /**
   * The sky index of the catalog (read once while the file is unchanged).
   *
   * @throws IllegalArgumentException listing the problems of the catalog
   */
  public WatchlistIndex index() {
    return WatchlistCatalog.read(file).index(radiusDegrees());
  }

  /** The problems of the catalog, each a sentence naming the file, line and column; empty when it is sound. */
  public List<String> catalogProblems() {
    return WatchlistCatalog.check(file).problems();
  }

  /** The watchlist of these conditions (outside array conditions) that annotates alerts, if any. */
  public static Optional<Watchlist> annotating(List<Condition> conditions) {
    return all(conditions).stream().filter(Watchlist::annotate).findFirst();
  }

  /** Every watchlist of these conditions, inside groups too, in order. */
  public static List<Watchlist> all(List<Condition> conditions) {
    List<Watchlist> found = new ArrayList<>();
    conditions.forEach(c -> collect(c, found));
    return found;
  }

  private static void collect(Condition condition, List<Watchlist> found) {
    if (condition instanceof Watchlist w) {
      found.add(w);
    } else if (condition instanceof And and) {
      and.conditions().forEach(c -> collect(c, found));
    } else if (condition instanceof Or or) {
      or.conditions().forEach(c -> collect(c, found));
    } else if (condition instanceof Not not) {
      collect(not.condition(), found);
    }
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitWatchlist(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
