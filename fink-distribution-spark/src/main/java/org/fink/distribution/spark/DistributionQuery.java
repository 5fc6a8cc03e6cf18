package org.fink.distribution.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.Trigger;
import org.fink.distribution.kafka.BatchCommits;
import org.fink.distribution.rules.DistributionStream;

/**
 * Runs a plan: pre-flight checks, schema delivery, then the one streaming query that reads new alerts, routes them
 * to their streams and publishes them ({@link StreamFanOut}, {@link KafkaAlertWriter}).
 *
 * <pre>{@code
 * RunningDistribution running = DistributionQuery.start(plan, Trigger.AvailableNow());
 * }</pre>
 */
final class DistributionQuery {
  /** The query's name (Spark runs one active query of a name per session). */
  static final String NAME = "fink-distribution";

  private DistributionQuery() {}

  static RunningDistribution start(DistributionPlan plan, Trigger trigger) {
    DistributionOptions options = plan.options();
    CheckpointLock lock = CheckpointLock.acquire(options.checkpoint());
    try {
      return start(plan, trigger, lock);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static RunningDistribution start(DistributionPlan plan, Trigger trigger, CheckpointLock lock) {
    DistributionOptions options = plan.options();
    Map<String, Integer> maxBytes = plan.preflight();
    StreamSchemaDelivery.deliver(plan);
    List<StreamFanOut.Output> outputs = new ArrayList<>();
    for (Map.Entry<DistributionStream, Schema> entry : plan.schemas().entrySet()) {
      String topic = plan.topicOf(entry.getKey());
      outputs.add(new StreamFanOut.Output(entry.getKey(), topic, entry.getValue(), maxBytes.get(topic)));
    }
    boolean exactlyOnce = options.exactlyOnce();
    if (exactlyOnce) {
      new BatchCommits(options.servers(), options.commitsTopic(), options.clientProperties()).ensureExists();
    }
    Dataset<Row> alerts = NewAlerts.of(plan);
    StreamFanOut.Routing routing = StreamFanOut.route(alerts, plan.scienceDbSchema(), outputs, options.keyField(),
        plan.alertIdField().orElse(null), exactlyOnce);
    DistributionProgress progress = new DistributionProgress();
    KafkaAlertWriter kafka = new KafkaAlertWriter(plan.spark(), routing, options.servers(), options.kafkaOptions(),
        options.format(), exactlyOnce ? options.commitsTopic() : null, progress);
    DataStreamWriter<Row> writer = routing.rows().writeStream()
        .foreachBatch(kafka)
        .queryName(NAME)
        .option("checkpointLocation", options.checkpoint())
        .trigger(trigger);
    return RunningDistribution.start(plan.spark(), writer,
        exactlyOnce ? QueryScopedConf.DISTRIBUTION_EXACTLY_ONCE : QueryScopedConf.DISTRIBUTION, progress, lock,
        options.scienceDb());
  }
}
