package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fluent rule builder, for notebooks ({@code jshell}, Jupyter Java kernels) and code: the same rules as the XML
 * format, as values. {@code RulesXml.write(rules)} gives the XML; {@code RulesXml.read} of it gives equal rules.
 *
 * <pre>{@code
 * import static org.fink.distribution.rules.Rules.*;
 *
 * DistributionRules rules = Rules.stream("bright").topic("fink_bright_ztf")
 *     .filter(field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.55)))
 *     .drop("cutoutTemplate")
 *     .rules();
 *
 * Condition history = count("prv_candidates").where(field("magpsf").lt(19)).ge(3);
 * Condition longCurve = span("prv_candidates", "jd").including("candidate.jd").gt(10);
 * Condition crab = cone("candidate.ra", "candidate.dec").around(83.63308, 22.0145).within(30, AngleUnit.ARCSEC);
 * Condition known = watchlist("candidate.ra", "candidate.dec").file(Path.of("watchlist.csv"))
 *     .within(2, AngleUnit.ARCSEC).annotated();
 * }</pre>
 */
public final class Rules {
  private Rules() {}

  /** A stream named {@code name}, to be given a topic, fields and a filter. */
  public static StreamBuilder stream(String name) {
    return new StreamBuilder(name, null, List.of(), List.of(), List.of());
  }

  /** Parts shared by several streams; finish with {@link SharedBuilder#streams}. */
  public static SharedBuilder shared() {
    return new SharedBuilder(List.of(), List.of(), List.of());
  }

  /**
   * Rules of these streams, nothing shared.
   *
   * @throws IllegalArgumentException when two streams share a name or a topic
   */
  public static DistributionRules of(StreamBuilder... streams) {
    return new DistributionRules(Arrays.stream(streams).map(StreamBuilder::build).toList());
  }

  /** A field of the alert (dotted path); inside {@code any}, {@code all}, {@code count}: of the element. */
  public static FieldRef field(String path) {
    return new FieldRef(FieldPath.of(path));
  }

  public static And and(Condition... conditions) {
    return new And(List.of(conditions));
  }

  public static Or or(Condition... conditions) {
    return new Or(List.of(conditions));
  }

  public static Not not(Condition condition) {
    return new Not(condition);
  }

  /** How many elements of an array of records (optionally: matching conditions), to compare to a number. */
  public static CountBuilder count(String array) {
    return new CountBuilder(FieldPath.of(array), List.of());
  }

  /** At least one element of the array matches every condition. */
  public static ArrayAny any(String array, Condition... where) {
    return new ArrayAny(FieldPath.of(array), List.of(where));
  }

  /** Every element of the array matches every condition. */
  public static ArrayAll all(String array, Condition... where) {
    return new ArrayAll(FieldPath.of(array), List.of(where));
  }

  /** The smallest value of {@code field} over the elements of {@code array}. */
  public static AggregateBuilder min(String array, String field) {
    return aggregate(ArrayAggregate.Function.MIN, array, field);
  }

  /** The largest value of {@code field} over the elements of {@code array}. */
  public static AggregateBuilder max(String array, String field) {
    return aggregate(ArrayAggregate.Function.MAX, array, field);
  }

  /** Largest minus smallest value of {@code field} over the elements of {@code array}. */
  public static AggregateBuilder span(String array, String field) {
    return aggregate(ArrayAggregate.Function.SPAN, array, field);
  }

  /** A cone on the position given by two fields (degrees). */
  public static ConeBuilder cone(String raField, String decField) {
    return new ConeBuilder(FieldPath.of(raField), FieldPath.of(decField), null, null);
  }

  /**
   * A watchlist on the position given by two fields (degrees): true near a source of a CSV catalog, e.g.
   * {@code watchlist("candidate.ra", "candidate.dec").file(Path.of("watchlist.csv")).within(2, AngleUnit.ARCSEC)}.
   */
  public static WatchlistBuilder watchlist(String raField, String decField) {
    return new WatchlistBuilder(FieldPath.of(raField), FieldPath.of(decField), null);
  }

  private static AggregateBuilder aggregate(ArrayAggregate.Function function, String array, String field) {
    return new AggregateBuilder(function, FieldPath.of(array), FieldPath.of(field), null, List.of());
  }

  /** {@code existing} plus {@code more}, with a top-level AND split into its parts. */
  static List<Condition> conjuncts(List<Condition> existing, Condition... more) {
    List<Condition> all = new ArrayList<>(existing);
    for (Condition condition : more) {
      if (condition instanceof And and) {
        all.addAll(and.conditions());
      } else {
        all.add(condition);
      }
    }
    return all;
  }
}
