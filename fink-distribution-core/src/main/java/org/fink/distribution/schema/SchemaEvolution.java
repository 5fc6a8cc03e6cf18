package org.fink.distribution.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaCompatibility;

/**
 * Decides whether a stream's schema may change: consumers still using the previous schema must be able to read
 * messages written with the next one (Avro schema resolution, previous as reader, next as writer).
 *
 * <pre>{@code
 * SchemaEvolution.requireReadableBy(previous, next, "fink_outstream");   // throws SchemaException if not
 * }</pre>
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  private static String describe(SchemaCompatibility.Incompatibility incompatibility) {
    String type = incompatibility.getType().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return incompatibility.getMessage() == null ? type : type + " (" + incompatibility.getMessage() + ")";
  }

  /** The dotted field path that a JSON-pointer location of Avro's compatibility check points into. */
  static String fieldAt(Schema reader, String location) {
    List<String> path = new ArrayList<>();
    Schema current = reader;
    String[] tokens = location.split("/");
    for (int i = 0; i < tokens.length && current != null; i++) {
      String token = tokens[i];
      if (token.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
        Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++i]));
        path.add(field.name());
        current = field.schema();
      } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
        current = current.getElementType();
      } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
        current = current.getValueType();
      } else if (token.matches("\\d+") && current.getType() == Schema.Type.UNION) {
        current = current.getTypes().get(Integer.parseInt(token));
      }
    }
    return path.isEmpty() ? "(top level)" : String.join(".", path);
  }

  /** True when readers of {@code previous} can read data written with {@code next}. */
  public static boolean readableBy(Schema previous, Schema next) {
    return SchemaCompatibility.checkReaderWriterCompatibility(previous, next).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  /** Throws a {@link SchemaException} listing why consumers of {@code previous} could not read {@code next}. */
  public static void requireReadableBy(Schema previous, Schema next, String topic) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(previous, next);
    if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    String reasons = result.getResult().getIncompatibilities().stream()
        .map(i -> "field " + fieldAt(previous, i.getLocation()) + ": " + describe(i))
        .collect(Collectors.joining("; "));
    throw new SchemaException("the new schema of topic " + topic + " cannot be read by consumers of its previous"
        + " schema (" + reasons + "). Keep the removed or changed fields, or publish to a new topic, or force the"
        + " change (--force-schema) if every consumer will update");
  }
}
