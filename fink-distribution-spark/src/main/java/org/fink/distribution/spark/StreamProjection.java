package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.SchemaPaths;
import org.fink.distribution.rules.Watchlist;

/**
 * Builds the Spark column holding what a stream distributes: a struct shaped exactly like the stream's Avro schema
 * (same fields, same nesting), taken from the science-database row. A record narrowed to some of its fields stays a
 * record ({@code candidate {ra, dec}}), a null record stays null, and records inside arrays are narrowed element by
 * element.
 */
final class StreamProjection {
  private StreamProjection() {}

  /** The struct column for {@code schema} (a distribution schema) over rows of {@code input}. */
  public static Column of(Schema schema, StructType input) {
    return of(schema, input, null);
  }

  /**
   * The struct column for {@code schema} over rows of {@code input}, the watchlist fields ({@code watchlist_name},
   * {@code watchlist_separation_arcsec}) taken from {@code match} ({@link RuleColumns#match}; null without).
   */
  public static Column of(Schema schema, StructType input, Column match) {
    List<Column> columns = new ArrayList<>();
    if (match == null) {
      return struct(fields(schema, input, null).toArray(Column[]::new));
    }
    List<Schema.Field> own = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      if (field.name().equals(Watchlist.NAME_FIELD)) {
        columns.add(match.getField("name").as(field.name()));
      } else if (field.name().equals(Watchlist.SEPARATION_FIELD)) {
        columns.add(match.getField("separation_arcsec").as(field.name()));
      } else {
        own.add(field);
      }
    }
    List<Column> fromAlert = fields(own, input, null);
    fromAlert.addAll(columns);  // the watchlist fields are the last of the schema
    return struct(fromAlert.toArray(Column[]::new));
  }

  private static List<Column> fields(Schema record, StructType input, Column parent) {
    return fields(record.getFields(), input, parent);
  }

  private static List<Column> fields(List<Schema.Field> fields, StructType input, Column parent) {
    List<Column> columns = new ArrayList<>();
    for (Schema.Field field : fields) {
      StructField source = input.apply(field.name());
      Column column = parent == null ? col("`" + field.name() + "`") : parent.getField(field.name());
      columns.add(narrow(column, SchemaPaths.nonNull(field.schema()), source.dataType()).as(field.name()));
    }
    return columns;
  }

  private static Column narrow(Column column, Schema target, DataType source) {
    if (covers(target, source)) {
      return column;
    }
    if (target.getType() == Schema.Type.RECORD) {
      Column rebuilt = struct(fields(target, (StructType) source, column).toArray(Column[]::new));
      return when(column.isNull(), lit(null)).otherwise(rebuilt);
    }
    if (target.getType() == Schema.Type.ARRAY) {
      Schema items = SchemaPaths.nonNull(target.getElementType());
      DataType sourceItems = ((ArrayType) source).elementType();
      return transform(column, element -> narrow(element, items, sourceItems));
    }
    return column;
  }

  /** True when the target keeps every field of the source, at every depth: the column can be used as it is. */
  private static boolean covers(Schema target, DataType source) {
    if (source instanceof StructType struct) {
      if (target.getType() != Schema.Type.RECORD || target.getFields().size() != struct.fields().length) {
        return false;
      }
      for (StructField f : struct.fields()) {
        Schema.Field t = target.getField(f.name());
        if (t == null || !covers(SchemaPaths.nonNull(t.schema()), f.dataType())) {
          return false;
        }
      }
      return true;
    }
    if (source instanceof ArrayType array) {
      return target.getType() == Schema.Type.ARRAY
          && covers(SchemaPaths.nonNull(target.getElementType()), array.elementType());
    }
    return true;
  }
}
