package org.fink.distribution.schema;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

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
        .map(i -> i.getType() + " at " + i.getLocation() + (i.getMessage() == null ? "" : ": " + i.getMessage()))
        .collect(Collectors.joining("; "));
    throw new SchemaException("the new schema of topic " + topic + " cannot be read by consumers of its previous"
        + " schema (" + reasons + "). Keep the removed or changed fields, or publish to a new topic, or force the"
        + " change (--force-schema) if every consumer will update");
  }
}
