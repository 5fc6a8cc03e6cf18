package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Watchlist;

/**
 * Routes alerts to every stream whose filter they pass, in one pass over the data. Each alert that some stream takes
 * becomes one row: its key, its id, one verdict per stream, and its content shaped for each distinct stream schema
 * (streams sharing a projection share it). The
 * {@link KafkaAlertWriter} then encodes each shape once and sends one message per taking stream. A single query
 * serves all streams, so N streams cost one scan, not N.
 */
final class StreamFanOut {
  /** A stream with its topic, Avro schema, and the largest message its topic takes. */
  record Output(DistributionStream stream, String topic, Schema schema, int maxMessageBytes) {}

  /**
   * The routed rows and how to read them; {@code sourceColumn} is the first of the three columns naming where each
   * row comes from (file, file split, row index in the file), or -1 when the rows do not carry them.
   */
  record Routing(Dataset<Row> rows, List<Output> outputs, List<Schema> schemas, List<StructType> shapes,
      int[] schemaOfStream, int sourceColumn) {}

  private StreamFanOut() {}

  /**
   * Row layout: {@code key} (string), {@code alert_id} (string), {@code take_0..take_n-1} (boolean),
   * {@code shape_0..shape_k-1} (struct of schema k), then with {@code withSource}: {@code source_file} (string),
   * {@code source_split} (start of the file split, long), {@code source_row} (row index in the file, long), from the
   * file source's {@code _metadata}.
   */
  static Routing route(Dataset<Row> alerts, StructType dbSchema, List<Output> outputs, String keyField,
      String alertIdField, boolean withSource) {
    RuleColumns rules = new RuleColumns(dbSchema);
    List<Column> conditions = outputs.stream().map(o -> coalesce(rules.all(o.stream().filter()), lit(false)))
        .toList();
    // streams share a shape when they share the schema and the annotating watchlist (if any)
    Map<List<Object>, List<Integer>> bySchema = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      Object watchlist = Watchlist.annotating(outputs.get(i).stream().filter()).map(Object.class::cast).orElse("");
      bySchema.computeIfAbsent(List.of(outputs.get(i).schema(), watchlist), s -> new ArrayList<>()).add(i);
    }
    List<Column> columns = new ArrayList<>();
    columns.add(RuleColumns.field(FieldPath.of(keyField)).cast("string").as("key"));
    columns.add(alertIdField == null ? lit(null).cast("string").as("alert_id")
        : RuleColumns.field(FieldPath.of(alertIdField)).cast("string").as("alert_id"));
    for (int i = 0; i < outputs.size(); i++) {
      columns.add(conditions.get(i).as("take_" + i));
    }
    List<Schema> schemas = new ArrayList<>();
    int[] schemaOfStream = new int[outputs.size()];
    for (Map.Entry<List<Object>, List<Integer>> group : bySchema.entrySet()) {
      int g = schemas.size();
      Schema schema = (Schema) group.getKey().get(0);
      Column match = group.getKey().get(1) instanceof Watchlist w ? rules.match(w) : null;
      schemas.add(schema);
      group.getValue().forEach(i -> schemaOfStream[i] = g);
      // unconditional: wrapped in a CASE WHEN, the (large) struct makes Spark generate one method too big to be
      // compiled by the JIT, which cost 40% with 10 streams; a shape that no stream takes is a copy at worst
      columns.add(StreamProjection.of(schema, dbSchema, match).as("shape_" + g));
    }
    int sourceColumn = -1;
    if (withSource) {
      sourceColumn = columns.size();
      columns.add(col("_metadata.file_path").as("source_file"));
      columns.add(col("_metadata.file_block_start").as("source_split"));
      columns.add(col("_metadata.row_index").as("source_row"));
    }
    Column any = conditions.stream().reduce(Column::or).orElseThrow();
    Dataset<Row> rows = alerts.filter(any).select(columns.toArray(Column[]::new));
    List<StructType> shapes = new ArrayList<>();
    for (int g = 0; g < schemas.size(); g++) {
      shapes.add((StructType) rows.schema().apply("shape_" + g).dataType());
    }
    return new Routing(rows, outputs, schemas, shapes, schemaOfStream, sourceColumn);
  }
}
