package org.fink.distribution.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.SchemaPaths;
import org.fink.distribution.rules.Watchlist;

/**
 * The Avro schema of a distributed stream, derived from the science-database schema and the stream's projection.
 *
 * <p>The derivation is deterministic: fields keep the science database's order; records are named after their field
 * in namespace {@code fink} plus the path ({@code fink.alert.candidate}); every field is {@code ["null", T]} with
 * default null; docs are carried over. The same rules and science-database schema always give the same bytes. A stream
 * with an annotating watchlist ({@code <watchlist annotate="true">}) ends with two more fields,
 * {@code watchlist_name} (string) and {@code watchlist_separation_arcsec} (double), nullable like every field.
 *
 * <pre>{@code
 * Schema out = DistributionSchema.derive(scienceDbSchema, rules.streams().get(0));
 * Files.writeString(Path.of("schemas/distribution_schema.avsc"), out.toString(true));
 * }</pre>
 */
public final class DistributionSchema {
  /** Namespace of every record of a distribution schema. */
  public static final String NAMESPACE = "fink";
  /** Name of the top-level record. */
  public static final String RECORD_NAME = "alert";

  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private DistributionSchema() {}

  /** The schema of what {@code stream} publishes, given the science database's schema. */
  public static Schema derive(Schema scienceDb, DistributionStream stream) {
    Schema record = SchemaPaths.nonNull(scienceDb);
    if (record.getType() != Schema.Type.RECORD) {
      throw new SchemaException("the science database schema must be a record, found " + record.getType());
    }
    for (FieldPath path : stream.select()) {
      if (SchemaPaths.find(record, path).isEmpty()) {
        throw new SchemaException("cannot select " + path + ": no such field in the science database");
      }
    }
    for (FieldPath path : stream.drop()) {
      if (SchemaPaths.find(record, path).isEmpty()) {
        throw new SchemaException("cannot drop " + path + ": no such field in the science database");
      }
    }
    Schema derived = project(record, Projection.of(stream.select()), stream.drop(), List.of(), NAMESPACE, RECORD_NAME);
    if (derived.getFields().isEmpty()) {
      throw new SchemaException("stream " + stream.name() + " distributes no field: select some fields,"
          + " or drop fewer");
    }
    return Watchlist.annotating(stream.filter()).isPresent() ? withMatchFields(derived, stream) : derived;
  }

  /** {@code record} plus the nullable fields of a watchlist match. */
  private static Schema withMatchFields(Schema record, DistributionStream stream) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      if (field.name().equals(Watchlist.NAME_FIELD) || field.name().equals(Watchlist.SEPARATION_FIELD)) {
        throw new SchemaException("stream " + stream.name() + " distributes a field " + field.name() + " of the"
            + " science database, which its watchlist with annotate=\"true\" would add too; drop that field or"
            + " remove annotate");
      }
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(new Schema.Field(Watchlist.NAME_FIELD, nullable(Schema.create(Schema.Type.STRING)),
        "Name of the nearest watchlist source within its radius of the alert; null when none",
        JsonProperties.NULL_VALUE));
    fields.add(new Schema.Field(Watchlist.SEPARATION_FIELD, nullable(Schema.create(Schema.Type.DOUBLE)),
        "Angular distance from the alert to that source, arcseconds; null when none", JsonProperties.NULL_VALUE));
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
  }

  private static Schema project(Schema record, Projection projection, List<FieldPath> drop, List<String> path,
      String namespace, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      Projection child = projection.child(field.name());
      List<String> fieldPath = append(path, field.name());
      if (child == null || drop.contains(new FieldPath(fieldPath))) {
        continue;
      }
      checkName(field.name(), fieldPath);
      String childNamespace = namespace + "." + name;
      Schema type = type(SchemaPaths.nonNull(field.schema()), child, drop, fieldPath, childNamespace, field.name());
      if (type == null) {
        continue;
      }
      Schema nullable = Schema.createUnion(Schema.create(Schema.Type.NULL), type);
      fields.add(new Schema.Field(field.name(), nullable, field.doc(), JsonProperties.NULL_VALUE));
    }
    if (!path.isEmpty() && fields.isEmpty()) {
      return null;
    }
    return Schema.createRecord(name, record.getDoc(), namespace, false, fields);
  }

  /** The projected type of one field; null when nothing of it is kept. */
  private static Schema type(Schema type, Projection projection, List<FieldPath> drop, List<String> path,
      String namespace, String name) {
    switch (type.getType()) {
      case RECORD:
        return project(type, projection, drop, path, namespace, name);
      case ARRAY: {
        Schema items = type(SchemaPaths.nonNull(type.getElementType()), projection, drop, path, namespace,
            name + "_item");
        return items == null ? null : Schema.createArray(nullable(items));
      }
      case MAP: {
        Schema values = type(SchemaPaths.nonNull(type.getValueType()), projection, drop, path, namespace,
            name + "_value");
        return values == null ? null : Schema.createMap(nullable(values));
      }
      case UNION:
        throw new SchemaException("field " + String.join(".", path) + " is a union of several types ("
            + type + "); only nullable unions [\"null\", T] can be distributed");
      default:
        if (!projection.whole()) {
          throw new SchemaException("field " + String.join(".", path) + " is a " + type.getType().getName()
              + ": it has no sub-fields to select");
        }
        return copyPrimitive(type);
    }
  }

  private static Schema nullable(Schema type) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
  }

  private static Schema copyPrimitive(Schema type) {
    if (type.getType() == Schema.Type.ENUM || type.getType() == Schema.Type.FIXED) {
      return type;
    }
    Schema copy = Schema.create(type.getType());
    if (type.getLogicalType() != null) {
      type.getLogicalType().addToSchema(copy);
    }
    return copy;
  }

  private static void checkName(String name, List<String> path) {
    if (!AVRO_NAME.matcher(name).matches()) {
      throw new SchemaException("field " + String.join(".", path) + " has a name Avro forbids (names must start"
          + " with a letter or _ and hold only letters, digits and _); rename the column in the science database,"
          + " or drop it from the stream");
    }
  }

  private static List<String> append(List<String> path, String name) {
    List<String> out = new ArrayList<>(path);
    out.add(name);
    return out;
  }
}
