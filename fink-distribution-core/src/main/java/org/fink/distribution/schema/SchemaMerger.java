package org.fink.distribution.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.fink.distribution.rules.SchemaPaths;

/**
 * Merges the writer schemas of several versions of a survey's alert format into one reader schema that reads them
 * all: records are merged field by field (recursively, array items too), every field becomes {@code ["null", T]}
 * with default null, full record names are kept. Avro schema resolution then maps each file's writer schema onto it;
 * a field missing from an older version reads as null.
 *
 * <pre>{@code
 * Schema superset = SchemaMerger.merge(List.of(ztf31, ztf33, ztf402));
 * }</pre>
 */
public final class SchemaMerger {
  private final Map<String, Schema> merged = new HashMap<>();

  private SchemaMerger() {}

  /** The superset of {@code schemas}, all records of the same full name. */
  public static Schema merge(List<Schema> schemas) {
    if (schemas.isEmpty()) {
      throw new IllegalArgumentException("no schema to merge");
    }
    return new SchemaMerger().mergeAll(schemas.stream().map(SchemaPaths::nonNull).toList(), "");
  }

  private Schema mergeAll(List<Schema> schemas, String path) {
    Schema first = schemas.get(0);
    for (Schema s : schemas) {
      if (s.getType() != first.getType() && !(isNumeric(s) && isNumeric(first))) {
        throw new SchemaException("field " + (path.isEmpty() ? "(top level)" : path) + " is a "
            + first.getType().getName() + " in one schema version and a " + s.getType().getName()
            + " in another; such versions cannot be read as one table");
      }
    }
    switch (first.getType()) {
      case RECORD:
        return mergeRecords(schemas, path);
      case ARRAY:
        return Schema.createArray(nullable(mergeAll(
            schemas.stream().map(s -> SchemaPaths.nonNull(s.getElementType())).toList(), path + "[]")));
      case MAP:
        return Schema.createMap(nullable(mergeAll(
            schemas.stream().map(s -> SchemaPaths.nonNull(s.getValueType())).toList(), path + "{}")));
      case INT: case LONG: case FLOAT: case DOUBLE:
        return schemas.stream().max((a, b) -> rank(a) - rank(b)).orElseThrow();
      default:
        return first;
    }
  }

  private Schema mergeRecords(List<Schema> records, String path) {
    String fullName = records.get(0).getFullName();
    Schema done = merged.get(fullName);
    if (done != null) {
      return done;
    }
    Map<String, List<Schema.Field>> byName = new LinkedHashMap<>();
    for (Schema record : records) {
      for (Schema.Field field : record.getFields()) {
        byName.computeIfAbsent(field.name(), n -> new ArrayList<>()).add(field);
      }
    }
    Schema result = Schema.createRecord(records.get(0).getName(), records.get(records.size() - 1).getDoc(),
        records.get(0).getNamespace(), false);
    merged.put(fullName, result);
    // versions may name their records differently (lsst.v7_4.alert, lsst.v9_0.alert): aliases let Avro schema
    // resolution match each writer's records to the merged ones
    records.stream().map(Schema::getFullName).filter(n -> !n.equals(fullName)).distinct().forEach(name -> {
      result.addAlias(name);
      merged.putIfAbsent(name, result);
    });
    List<Schema.Field> fields = new ArrayList<>();
    for (Map.Entry<String, List<Schema.Field>> entry : byName.entrySet()) {
      List<Schema.Field> versions = entry.getValue();
      String fieldPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
      Schema type = mergeAll(versions.stream().map(f -> SchemaPaths.nonNull(f.schema())).toList(), fieldPath);
      String doc = versions.stream().map(Schema.Field::doc).filter(d -> d != null).reduce((a, b) -> b).orElse(null);
      fields.add(new Schema.Field(entry.getKey(), nullable(type), doc, JsonProperties.NULL_VALUE));
    }
    result.setFields(fields);
    return result;
  }

  private static Schema nullable(Schema type) {
    return type.getType() == Schema.Type.NULL ? type : Schema.createUnion(Schema.create(Schema.Type.NULL), type);
  }

  private static boolean isNumeric(Schema s) {
    return rank(s) > 0;
  }

  private static int rank(Schema s) {
    return switch (s.getType()) {
      case INT -> 1;
      case LONG -> 2;
      case FLOAT -> 3;
      case DOUBLE -> 4;
      default -> 0;
    };
  }
}
