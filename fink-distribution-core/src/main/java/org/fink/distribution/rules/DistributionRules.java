package org.fink.distribution.rules;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole distribution: one or more streams, evaluated in one pass over the science database.
 *
 * <p>Rules read from XML remember where each element was read ({@link #locationOf}); equality ignores locations, so
 * rules read from XML equal the same rules built in Java.
 */
public final class DistributionRules {
  /** Name of the stream of a file in the original single-stream format. */
  public static final String DEFAULT_STREAM = "default";

  private final List<DistributionStream> streams;
  private final Map<Object, SourceLocation> locations;

  public DistributionRules(List<DistributionStream> streams) {
    this(streams, Map.of());
  }

  /** @param locations where each node (stream, field path, condition) was read, by identity */
  public DistributionRules(List<DistributionStream> streams, Map<Object, SourceLocation> locations) {
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("distribution rules need at least one stream");
    }
    this.streams = List.copyOf(streams);
    this.locations = new IdentityHashMap<>(locations);
  }

  public List<DistributionStream> streams() {
    return streams;
  }

  /** Where {@code node} (a stream, a field path, a condition of these rules) was read, if known. */
  public Optional<SourceLocation> locationOf(Object node) {
    return Optional.ofNullable(locations.get(node));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistributionRules other && streams.equals(other.streams);
  }

  @Override
  public int hashCode() {
    return Objects.hash(streams);
  }

  @Override
  public String toString() {
    return "DistributionRules" + streams;
  }
}
