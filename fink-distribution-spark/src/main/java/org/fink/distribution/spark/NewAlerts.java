package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.fink.distribution.config.StartingOffset;

/**
 * The science database as a stream of alerts, from {@code DISTRIBUTION_OFFSET}: all records, or those ingested
 * after the checkpoint's first start, or after a given time.
 *
 * <pre>{@code
 * Dataset<Row> alerts = NewAlerts.of(plan);
 * }</pre>
 */
final class NewAlerts {
  private NewAlerts() {}

  static Dataset<Row> of(DistributionPlan plan) {
    DistributionOptions options = plan.options();
    Dataset<Row> alerts = options.scienceDb().readStream(plan.scienceDbSchema(), options.maxFilesPerTrigger());
    StartingOffset offset = options.startingOffset();
    if (offset.kind() == StartingOffset.Kind.EARLIEST) {
      return alerts;
    }
    // the plan checked that the database has the ingestion time
    long since = offset.kind() == StartingOffset.Kind.TIMESTAMP ? offset.epochMillis()
        : new CheckpointStart(plan.spark(), options.checkpoint()).epochMillis();
    return alerts.filter(col(ScienceDb.INGEST_TIME).geq(lit(new Timestamp(since))));
  }
}
