package org.fink.distribution.rules;

import java.util.Arrays;
import java.util.List;

/**
 * Builds rules of several streams with a shared part ({@link SharedRules}): every stream adds its own fields, drops and
 * conditions to the shared ones.
 *
 * <pre>{@code
 * DistributionRules rules = Rules.shared()
 *     .select("objectId", "candid", "candidate").filter(field("candidate.rb").ge(0.65))
 *     .streams(Rules.stream("bright").topic("fink_bright").filter(field("candidate.magpsf").lt(17)),
 *              Rules.stream("asteroids").topic("fink_sso").filter(field("candidate.ssnamenr").isNotNull()));
 * }</pre>
 */
public final class SharedBuilder {
  private final List<FieldPath> select;
  private final List<FieldPath> drop;
  private final List<Condition> filter;

  SharedBuilder(List<FieldPath> select, List<FieldPath> drop, List<Condition> filter) {
    this.select = List.copyOf(select);
    this.drop = List.copyOf(drop);
    this.filter = List.copyOf(filter);
  }

  /** Adds fields every stream distributes. */
  public SharedBuilder select(String... paths) {
    return new SharedBuilder(StreamBuilder.append(select, paths), drop, filter);
  }

  /** Adds fields no stream distributes. */
  public SharedBuilder drop(String... paths) {
    return new SharedBuilder(select, StreamBuilder.append(drop, paths), filter);
  }

  /** Adds conditions every stream applies (an AND is split into its parts). */
  public SharedBuilder filter(Condition... conditions) {
    return new SharedBuilder(select, drop, Rules.conjuncts(filter, conditions));
  }

  /**
   * The rules: these shared parts, and the streams.
   *
   * @throws IllegalArgumentException when two streams share a name or a topic
   */
  public DistributionRules streams(StreamBuilder... streams) {
    return new DistributionRules(new SharedRules(select, drop, filter),
        Arrays.stream(streams).map(StreamBuilder::build).toList(), java.util.Map.of());
  }
}
