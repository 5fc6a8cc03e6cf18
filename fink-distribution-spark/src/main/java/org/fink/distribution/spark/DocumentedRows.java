package org.fink.distribution.spark;

import org.apache.avro.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Alerts with the survey's field docs ({@link SparkAvroSchema#withDocs}) on their schema, nested fields included,
 * without touching a row: the docs are metadata only, so the rows of the plan are taken as they are under the
 * documented schema. {@code Dataset.to(documented)} gives the same schema, but rebuilds every nested struct and array
 * element row by row (an interpreted projection: the alert has more fields than {@code spark.sql.codegen.maxFields}),
 * which was a fifth of the ingest's CPU time (bench/README.md, "Ingest").
 *
 * <pre>{@code
 * Dataset<Row> documented = DocumentedRows.of(alerts, surveySchema);   // same rows, schema with docs
 * }</pre>
 */
final class DocumentedRows {
  private DocumentedRows() {}

  /** {@code alerts} under its own schema with the docs of {@code survey}'s fields. */
  static Dataset<Row> of(Dataset<Row> alerts, Schema survey) {
    StructType documented = SparkAvroSchema.withDocs(alerts.schema(), survey);
    if (alerts.isStreaming() || !(alerts instanceof org.apache.spark.sql.classic.Dataset<Row> classic)) {
      return alerts.to(documented); // a streaming plan (or a Connect session) has no RDD to take: the projection
    }
    // the same physical rows (names, types and nullability unchanged), read by the next operators under the schema
    // with docs; Spark's own RDD-based DataFrames (checkpoint, JSON of a Dataset<String>) are made the same way
    return classic.sparkSession().internalCreateDataFrame(classic.queryExecution().toRdd(), documented, false);
  }
}
