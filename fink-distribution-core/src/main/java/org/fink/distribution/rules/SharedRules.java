package org.fink.distribution.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * What every stream of a multi-stream file shares (the {@code <select>}, {@code <drop>} and {@code <filter>} written
 * beside the {@code <stream>} elements). Every part adds up: a stream distributes the shared fields plus its own
 * (no field selected anywhere: all fields), minus the shared drops and its own, and keeps the alerts that pass the
 * shared filter and its own.
 *
 * <pre>{@code
 * SharedRules base = new SharedRules(List.of(FieldPath.of("objectId")), List.of(), List.of(purity));
 * DistributionStream effective = base.applyTo(stream);
 * }</pre>
 */
public record SharedRules(List<FieldPath> select, List<FieldPath> drop, List<Condition> filter) {
  /** Nothing shared: each stream stands alone (the original single-stream format). */
  public static final SharedRules NONE = new SharedRules(List.of(), List.of(), List.of());

  public SharedRules {
    select = List.copyOf(select);
    drop = List.copyOf(drop);
    filter = List.copyOf(filter);
  }

  public boolean isEmpty() {
    return select.isEmpty() && drop.isEmpty() && filter.isEmpty();
  }

  /** The stream as distributed: the shared parts, then its own. */
  public DistributionStream applyTo(DistributionStream stream) {
    if (isEmpty()) {
      return stream;
    }
    return new DistributionStream(stream.name(), stream.topic(), concat(select, stream.select()),
        concat(drop, stream.drop()), concat(filter, stream.filter()));
  }

  private static <T> List<T> concat(List<T> shared, List<T> own) {
    List<T> all = new ArrayList<>(shared);
    all.addAll(own);
    return all;
  }
}
