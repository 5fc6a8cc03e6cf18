package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;

/**
 * A path to a field of an alert, nested fields separated by dots: {@code candidate.magpsf}.
 *
 * <pre>{@code
 * FieldPath magpsf = FieldPath.of("candidate.magpsf");
 * magpsf.head();   // "candidate"
 * }</pre>
 */
public record FieldPath(List<String> segments) {
  public FieldPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty() || segments.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new IllegalArgumentException("a field path needs non-empty names separated by dots: " + segments);
    }
  }

  /** Parses a dotted path. */
  public static FieldPath of(String dotted) {
    Objects.requireNonNull(dotted, "field path");
    return new FieldPath(List.of(dotted.strip().split("\\.", -1)));
  }

  /** The original format's {@code name} + optional {@code subcol}. */
  public static FieldPath of(String name, String subcol) {
    return subcol == null || subcol.isBlank() ? of(name) : of(name + "." + subcol);
  }

  public String head() {
    return segments.get(0);
  }

  /** The path below the first segment, or null for a one-segment path. */
  public FieldPath tail() {
    return segments.size() == 1 ? null : new FieldPath(segments.subList(1, segments.size()));
  }

  public boolean isTopLevel() {
    return segments.size() == 1;
  }

  /** True when this path is {@code other} or lies inside it. */
  public boolean startsWith(FieldPath other) {
    return segments.size() >= other.segments.size()
        && segments.subList(0, other.segments.size()).equals(other.segments);
  }

  @Override
  public String toString() {
    return String.join(".", segments);
  }
}
