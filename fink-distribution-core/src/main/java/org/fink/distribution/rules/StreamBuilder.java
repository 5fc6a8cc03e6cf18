package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link DistributionStream} step by step; each step returns a new builder, so a partial stream can be
 * reused.
 *
 * <pre>{@code
 * StreamBuilder bright = Rules.stream("bright").topic("fink_bright_ztf")
 *     .filter(field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.55)))
 *     .drop("cutoutTemplate");
 * DistributionRules rules = bright.rules();
 * }</pre>
 */
public final class StreamBuilder {
  private final String name;
  private final String topic;
  private final List<FieldPath> select;
  private final List<FieldPath> drop;
  private final List<Condition> filter;

  StreamBuilder(String name, String topic, List<FieldPath> select, List<FieldPath> drop, List<Condition> filter) {
    this.name = name;
    this.topic = topic;
    this.select = List.copyOf(select);
    this.drop = List.copyOf(drop);
    this.filter = List.copyOf(filter);
  }

  /** The Kafka topic; without one the stream publishes to {@code DISTRIBUTION_TOPIC}. */
  public StreamBuilder topic(String topic) {
    return new StreamBuilder(name, topic, select, drop, filter);
  }

  /** Adds fields to distribute (dotted paths); selecting none distributes all fields. */
  public StreamBuilder select(String... paths) {
    return new StreamBuilder(name, topic, append(select, paths), drop, filter);
  }

  /** Adds fields removed after the selection. */
  public StreamBuilder drop(String... paths) {
    return new StreamBuilder(name, topic, select, append(drop, paths), filter);
  }

  /**
   * Adds conditions that every distributed alert meets. The filter is a conjunction, like the children of
   * {@code <filter>}: an AND given here is split into its parts.
   */
  public StreamBuilder filter(Condition... conditions) {
    return new StreamBuilder(name, topic, select, drop, Rules.conjuncts(filter, conditions));
  }

  /**
   * The stream.
   *
   * @throws IllegalArgumentException when the name or the topic is not valid
   */
  public DistributionStream build() {
    return new DistributionStream(name, topic, select, drop, filter);
  }

  /** Rules of this one stream. */
  public DistributionRules rules() {
    return Rules.of(this);
  }

  static List<FieldPath> append(List<FieldPath> paths, String... more) {
    List<FieldPath> all = new ArrayList<>(paths);
    for (String path : more) {
      all.add(FieldPath.of(path));
    }
    return all;
  }
}
