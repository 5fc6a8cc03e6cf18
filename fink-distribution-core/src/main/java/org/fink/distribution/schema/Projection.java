package org.fink.distribution.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fink.distribution.rules.FieldPath;

/**
 * The fields a stream keeps, as a tree: a node is either kept whole or narrowed to some of its children.
 * Built from a stream's select list (empty: everything), then its drop list.
 */
final class Projection {
  private boolean whole;
  private final Map<String, Projection> children = new LinkedHashMap<>();

  static Projection of(List<FieldPath> select) {
    Projection root = new Projection();
    if (select.isEmpty()) {
      root.whole = true;
    }
    for (FieldPath path : select) {
      Projection node = root;
      for (String segment : path.segments()) {
        if (node.whole) {
          break;
        }
        node = node.children.computeIfAbsent(segment, s -> new Projection());
      }
      node.whole = true;
      node.children.clear();
    }
    return root;
  }

  boolean whole() {
    return whole;
  }

  /** The child node for a field, or null when the field is not kept. */
  Projection child(String name) {
    if (whole) {
      return WHOLE;
    }
    return children.get(name);
  }

  private static final Projection WHOLE = new Projection();

  static {
    WHOLE.whole = true;
  }
}
