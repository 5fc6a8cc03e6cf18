package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;

/**
 * Routes alerts to every stream whose filter they pass, in one pass over the data: each alert row becomes one Kafka
 * message ({@code key}, {@code value}, {@code topic}, {@code headers}) per matching stream, each encoded with its
 * stream's projection and schema. A single query serves all streams, so N streams cost one scan, not N.
 *
 * <p>The messages carry observed metrics ({@value #METRICS}): messages, bytes, and messages per topic.
 */
final class StreamFanOut {
  /** Name of the observed metrics of the distribution query. */
  static final String METRICS = "fink_published";
  static final String MESSAGES = "messages";
  static final String BYTES = "bytes";

  /**
   * A stream with its topic, Avro schema, and the largest message its topic takes (the producer's
   * {@code max.request.size} and the topic's {@code max.message.bytes}).
   */
  record Output(DistributionStream stream, String topic, Schema schema, int maxMessageBytes) {}

  /** Room left in a Kafka request for the record batch header, the key and the headers. */
  private static final int RECORD_OVERHEAD = 1024;

  private StreamFanOut() {}

  static Dataset<Row> messages(Dataset<Row> alerts, StructType dbSchema, List<Output> outputs, String keyField,
      String alertIdField, MessageFormat format) {
    RuleColumns rules = new RuleColumns(dbSchema);
    Column key = RuleColumns.field(FieldPath.of(keyField)).cast("string").as("key");
    Column alertId = alertIdField == null ? null
        : RuleColumns.field(FieldPath.of(alertIdField)).cast("string").cast("binary");
    Dataset<Row> messages;
    if (outputs.size() == 1) {
      Output only = outputs.get(0);
      Column value = AlertEncoding.value(StreamProjection.of(only.schema(), dbSchema), only.schema(), format);
      messages = alerts.filter(rules.all(only.stream().filter()))
          .select(key, message(only, value, alertId).as("m"))
          .select(col("key"), col("m.value"), col("m.topic"), col("m.headers"));
    } else {
      messages = fanOut(alerts, dbSchema, outputs, key, alertId, format, rules);
    }
    return messages.observe(METRICS, count(lit(1)).as(MESSAGES), metricsPerTopic(outputs));
  }

  /**
   * Several streams: first one row per alert with each stream's verdict and each distinct schema's encoding (computed
   * once even when several streams share a schema, and only when one of them takes the alert), then one message per
   * stream that takes it.
   */
  private static Dataset<Row> fanOut(Dataset<Row> alerts, StructType dbSchema, List<Output> outputs, Column key,
      Column alertId, MessageFormat format, RuleColumns rules) {
    List<Column> conditions = outputs.stream().map(o -> coalesce(rules.all(o.stream().filter()), lit(false)))
        .toList();
    Map<Schema, List<Integer>> bySchema = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      bySchema.computeIfAbsent(outputs.get(i).schema(), s -> new ArrayList<>()).add(i);
    }
    List<Column> verdicts = new ArrayList<>();
    verdicts.add(key);
    verdicts.add(alertId == null ? lit(null).cast("binary").as("_alert_id") : alertId.as("_alert_id"));
    for (int i = 0; i < outputs.size(); i++) {
      verdicts.add(conditions.get(i).as("_take_" + i));
    }
    Map<Integer, String> valueOf = new HashMap<>();
    int g = 0;
    for (Map.Entry<Schema, List<Integer>> group : bySchema.entrySet()) {
      Column anyOfGroup = group.getValue().stream().map(conditions::get).reduce(Column::or).orElseThrow();
      Column encoded = AlertEncoding.value(StreamProjection.of(group.getKey(), dbSchema), group.getKey(), format);
      String name = "_value_" + g++;
      verdicts.add(when(anyOfGroup, encoded).as(name));
      group.getValue().forEach(i -> valueOf.put(i, name));
    }
    Column[] routed = new Column[outputs.size()];
    for (int i = 0; i < outputs.size(); i++) {
      routed[i] = when(col("_take_" + i), message(outputs.get(i), col(valueOf.get(i)),
          alertId == null ? null : col("_alert_id")));
    }
    Column any = conditions.stream().reduce(Column::or).orElseThrow();
    return alerts.filter(any)
        .select(verdicts.toArray(Column[]::new))
        .select(col("key"), explode(array_compact(array(routed))).as("m"))
        .select(col("key"), col("m.value"), col("m.topic"), col("m.headers"));
  }

  private static Column[] metricsPerTopic(List<Output> outputs) {
    Set<String> topics = new LinkedHashSet<>();
    outputs.forEach(o -> topics.add(o.topic()));
    List<Column> metrics = new ArrayList<>();
    metrics.add(sum(length(col("value"))).as(BYTES));
    for (String topic : topics) {
      metrics.add(count_if(col("topic").equalTo(lit(topic))).as("topic:" + topic));
    }
    return metrics.toArray(Column[]::new);
  }

  private static Column message(Output output, Column value, Column alertId) {
    value = sizeChecked(output, value, alertId);
    List<Column> headers = new ArrayList<>();
    headers.add(header(AlertHeaders.STREAM, lit(output.stream().name().getBytes(StandardCharsets.UTF_8))));
    headers.add(header(AlertHeaders.SCHEMA_FINGERPRINT,
        lit(SchemaFingerprint.hex(SchemaFingerprint.of(output.schema())).getBytes(StandardCharsets.UTF_8))));
    if (alertId != null) {
      headers.add(header(AlertHeaders.ALERT_ID, alertId));
    }
    return struct(value.as("value"), lit(output.topic()).as("topic"),
        array(headers.toArray(Column[]::new)).as("headers"));
  }

  /**
   * The value, or a failed batch naming the alert when it is larger than its topic takes: the alert is reported,
   * never silently dropped, and nothing of the batch is marked done.
   */
  private static Column sizeChecked(Output output, Column value, Column alertId) {
    int limit = output.maxMessageBytes() - RECORD_OVERHEAD;
    Column id = alertId == null ? lit("?") : alertId.cast("string");
    Column error = raise_error(concat(lit("alert "), id, lit(" is "), length(value).cast("string"),
        lit(" bytes once encoded for topic " + output.topic() + ", more than it takes (" + limit
            + "): raise the topic's max.message.bytes and the producer's max.request.size, or drop fields from"
            + " stream " + output.stream().name())));
    return when(length(value).gt(limit), error).otherwise(value);
  }

  private static Column header(String key, Column value) {
    return struct(lit(key).as("key"), value.as("value"));
  }
}
