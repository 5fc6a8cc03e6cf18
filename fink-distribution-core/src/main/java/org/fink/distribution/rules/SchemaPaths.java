package org.fink.distribution.rules;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/** Finds fields of an alert schema by path, looking through nullable unions and arrays of records. */
public final class SchemaPaths {
  private SchemaPaths() {}

  /** The schema itself, or its one non-null branch when it is a union with null. */
  public static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : schema;
  }

  /**
   * The schema of the field at {@code path} (its nullable union as declared), if every segment exists. A path goes
   * through arrays of records to their elements' fields: {@code prv_candidates.magpsf}.
   */
  public static Optional<Schema> find(Schema record, FieldPath path) {
    Schema current = nonNull(record);
    Schema found = null;
    for (String segment : path.segments()) {
      current = elements(current);
      if (current.getType() != Schema.Type.RECORD) {
        return Optional.empty();
      }
      Schema.Field field = current.getField(segment);
      if (field == null) {
        return Optional.empty();
      }
      found = field.schema();
      current = nonNull(found);
    }
    return Optional.ofNullable(found);
  }

  /** True when the path goes through an array: it names a field of each element, not one value. */
  public static boolean crossesArray(Schema record, FieldPath path) {
    Schema current = nonNull(record);
    for (String segment : path.segments()) {
      if (current.getType() == Schema.Type.ARRAY) {
        return true;
      }
      Schema.Field field = current.getType() == Schema.Type.RECORD ? current.getField(segment) : null;
      if (field == null) {
        return false;
      }
      current = nonNull(field.schema());
    }
    return false;
  }

  /** The element type of an array (through nested arrays), or the schema itself. */
  private static Schema elements(Schema schema) {
    Schema current = schema;
    while (current.getType() == Schema.Type.ARRAY) {
      current = nonNull(current.getElementType());
    }
    return current;
  }

  /** All field paths of a record schema, depth first (records only; arrays are leaves). */
  public static List<FieldPath> allPaths(Schema record) {
    List<FieldPath> out = new java.util.ArrayList<>();
    collect(nonNull(record), new java.util.ArrayList<>(), out);
    return out;
  }

  private static void collect(Schema record, List<String> prefix, List<FieldPath> out) {
    for (Schema.Field field : record.getFields()) {
      List<String> path = new java.util.ArrayList<>(prefix);
      path.add(field.name());
      out.add(new FieldPath(path));
      Schema type = elements(nonNull(field.schema()));
      if (type.getType() == Schema.Type.RECORD) {
        collect(type, path, out);
      }
    }
  }
}
