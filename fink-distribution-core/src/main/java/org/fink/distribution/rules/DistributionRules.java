package org.fink.distribution.rules;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole distribution: one or more streams, evaluated in one pass over the science database, and what they share.
 *
 * <pre>{@code
 * DistributionRules rules = RulesXml.read(Path.of("conf/distribution-rules.xml"));
 * for (DistributionStream stream : rules.streams()) { ... }   // as distributed: shared parts included
 * }</pre>
 *
 * <p>Rules read from XML remember where each element was read ({@link #locationOf}); equality ignores locations, so
 * rules read from XML equal the same rules built in Java. Stream names are unique, and so are their topics (a stream
 * without topic publishes to the configured default topic).
 */
public final class DistributionRules {
  /** Name of the stream of a file in the original single-stream format. */
  public static final String DEFAULT_STREAM = "default";

  private final SharedRules shared;
  private final List<DistributionStream> declared;
  private final List<DistributionStream> streams;
  private final Map<Object, SourceLocation> locations;

  public DistributionRules(List<DistributionStream> streams) {
    this(SharedRules.NONE, streams, Map.of());
  }

  /** @param locations where each node (stream, field path, condition) was read, by identity */
  public DistributionRules(List<DistributionStream> streams, Map<Object, SourceLocation> locations) {
    this(SharedRules.NONE, streams, locations);
  }

  /**
   * @param shared what every stream shares
   * @param streams the streams as declared (without the shared parts)
   * @param locations where each node (stream, field path, condition) was read, by identity
   */
  public DistributionRules(SharedRules shared, List<DistributionStream> streams,
      Map<Object, SourceLocation> locations) {
    this.shared = Objects.requireNonNull(shared, "shared");
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("distribution rules need at least one stream");
    }
    this.declared = List.copyOf(streams);
    Map<String, String> names = new HashMap<>();
    Map<String, String> topics = new HashMap<>();
    for (DistributionStream stream : declared) {
      if (names.put(stream.name(), stream.name()) != null) {
        throw new IllegalArgumentException("two streams are named " + stream.name() + "; give each a unique name");
      }
      String topic = stream.topic() == null ? "the default topic (DISTRIBUTION_TOPIC)" : "topic " + stream.topic();
      String other = topics.put(topic, stream.name());
      if (other != null) {
        throw new IllegalArgumentException("streams " + other + " and " + stream.name() + " both publish to " + topic
            + "; give each stream its own topic");
      }
    }
    this.locations = new IdentityHashMap<>(locations);
    this.streams = declared.stream().map(shared::applyTo).toList();
    for (int i = 0; i < declared.size(); i++) {
      SourceLocation at = this.locations.get(declared.get(i));
      if (at != null) {
        this.locations.putIfAbsent(this.streams.get(i), at);
      }
    }
  }

  /** The streams as distributed: each with the shared select, drop and filter added to its own. */
  public List<DistributionStream> streams() {
    return streams;
  }

  /** The streams as declared, without the shared parts. */
  public List<DistributionStream> declaredStreams() {
    return declared;
  }

  /** What every stream shares; {@link SharedRules#NONE} in the original single-stream format. */
  public SharedRules shared() {
    return shared;
  }

  /** Where {@code node} (a stream, a field path, a condition of these rules) was read, if known. */
  public Optional<SourceLocation> locationOf(Object node) {
    return Optional.ofNullable(locations.get(node));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistributionRules other && shared.equals(other.shared) && declared.equals(other.declared);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shared, declared);
  }

  @Override
  public String toString() {
    return "DistributionRules" + (shared.isEmpty() ? "" : shared) + declared;
  }
}
