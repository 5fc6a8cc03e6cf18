package org.fink.distribution.rules.avro;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.rules.FieldPath;

/**
 * Reads the value at a field path of an Avro record, as the rule evaluators see it: null when the record, a record on
 * the way or the field itself is null or missing (an alert of an older schema version lacks newer fields); strings
 * ({@code Utf8}, enum symbols) as {@link String}.
 *
 * <pre>{@code
 * Object magpsf = RecordPath.value(alert, FieldPath.of("candidate.magpsf"));   // a Float, or null
 * }</pre>
 */
final class RecordPath {
  private RecordPath() {}

  static Object value(GenericRecord record, FieldPath path) {
    Object current = record;
    for (String segment : path.segments()) {
      if (!(current instanceof GenericRecord r) || r.getSchema().getField(segment) == null) {
        return null;
      }
      current = r.get(segment);
    }
    if (current instanceof CharSequence || current instanceof GenericEnumSymbol<?>) {
      return current.toString();
    }
    return current;
  }
}
