package org.fink.distribution.spark;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The projection of an alert schema on its alert id ({@code candid}, {@code diaSource.diaSourceId}): records of the
 * same full names holding only the fields on the id's path. Read with it, Avro's resolving decoder skips every other
 * field of the writer's record (checking its encoding as it goes) and builds only the id.
 *
 * <pre>{@code
 * Schema idOnly = AlertIdProjection.of(writer, "diaSource.diaSourceId");
 * GenericRecord r = new GenericDatumReader<GenericRecord>(writer, idOnly).read(null, decoder);
 * }</pre>
 */
final class AlertIdProjection {
  private AlertIdProjection() {}

  static Schema of(Schema writer, String path) {
    return project(writer, path.split("\\."), 0);
  }

  private static Schema project(Schema record, String[] path, int depth) {
    Schema.Field field = record.getField(path[depth]);
    if (field == null) {
      throw new IllegalArgumentException(record.getFullName() + " has no field " + path[depth]);
    }
    Schema type = depth == path.length - 1 ? field.schema() : project(field.schema(), path, depth + 1);
    Schema projected = Schema.createRecord(record.getName(), null, record.getNamespace(), false);
    projected.setFields(List.of(new Schema.Field(field.name(), type, null, (Object) null)));
    return projected;
  }
}
