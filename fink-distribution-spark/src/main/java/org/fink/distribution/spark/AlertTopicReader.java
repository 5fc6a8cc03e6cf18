package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.avro.functions;
import org.apache.spark.sql.types.DataTypes;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.MessageFormats;

/**
 * Reads a distributed topic back into a DataFrame of alerts, decoded with the stream's schema: one row per message,
 * the alert's fields as columns, plus {@code kafka_topic}, {@code kafka_partition}, {@code kafka_offset},
 * {@code kafka_timestamp}.
 *
 * <pre>{@code
 * AlertTopicReader reader = new AlertTopicReader(spark, "127.0.0.1:9092", schema, MessageFormat.AVRO_SINGLE_OBJECT);
 * reader.read("fink_outstream").select("objectId", "candidate.magpsf").show();
 * // a cluster with SASL: Kafka client settings, given to Spark's Kafka source with the "kafka." prefix
 * new AlertTopicReader(spark, servers, schema, null, KafkaSecurity.of(config).clientProperties());
 * }</pre>
 */
public final class AlertTopicReader {
  private final SparkSession spark;
  private final String servers;
  private final Schema schema;
  private final MessageFormat format;
  private final Map<String, String> kafkaOptions;

  /**
   * @param format framing of the messages, or null to recognize it per message (single-object and container
   *     messages announce themselves, Fink ones by their schema key, JSON ones as objects; anything else is read as a
   *     raw record)
   */
  public AlertTopicReader(SparkSession spark, String servers, Schema schema, MessageFormat format) {
    this(spark, servers, schema, format, Map.of());
  }

  /**
   * @param format framing of the messages, or null to recognize it per message
   * @param kafkaOptions Kafka consumer settings (security: {@code security.protocol}, {@code sasl.mechanism},
   *     {@code sasl.jaas.config}), without the {@code kafka.} prefix, which is added here
   */
  public AlertTopicReader(SparkSession spark, String servers, Schema schema, MessageFormat format,
      Map<String, String> kafkaOptions) {
    this.spark = spark;
    this.servers = servers;
    this.schema = schema;
    this.format = format;
    this.kafkaOptions = Map.copyOf(kafkaOptions);
  }

  private Map<String, String> sourceOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    // messages of an exactly-once distribution are visible once their transaction commits; others at once
    options.put("kafka.isolation.level", "read_committed");
    kafkaOptions.forEach((key, value) -> options.put("kafka." + key, value));
    return options;
  }

  /** Every message now in the topic, as a batch. */
  public Dataset<Row> read(String topic) {
    return decode(spark.read().format("kafka")
        .options(sourceOptions())
        .option("kafka.bootstrap.servers", servers)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("endingOffsets", "latest")
        .load());
  }

  /** Messages as they arrive, from {@code startingOffsets} ({@code earliest} or {@code latest}). */
  public Dataset<Row> readStream(String topic, String startingOffsets) {
    return decode(spark.readStream().format("kafka")
        .options(sourceOptions())
        .option("kafka.bootstrap.servers", servers)
        .option("subscribe", topic)
        .option("startingOffsets", startingOffsets)
        .option("failOnDataLoss", "false")
        .load());
  }

  /** Decodes the {@code value} column of Kafka rows into the alert's columns. */
  public Dataset<Row> decode(Dataset<Row> kafkaRows) {
    Column alert = functions.from_avro(binaryRecord(col("key"), col("value")), schema.toString()).as("alert");
    return kafkaRows.select(alert, col("topic").as("kafka_topic"), col("partition").as("kafka_partition"),
            col("offset").as("kafka_offset"), col("timestamp").as("kafka_timestamp"))
        .select(col("alert.*"), col("kafka_topic"), col("kafka_partition"), col("kafka_offset"),
            col("kafka_timestamp"));
  }

  /** The Avro binary record inside a message value, the framing removed by {@link AlertCodec#unframe}. */
  private Column binaryRecord(Column key, Column value) {
    return udf(new Unframing(schema.toString(), format), DataTypes.BinaryType).apply(key, value);
  }

  /** Takes the binary record out of a message value, on the executors; the framing recognized when not given. */
  private static final class Unframing implements UDF2<byte[], byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private final MessageFormat format;
    private transient Schema schema;
    private transient Map<MessageFormat, AlertCodec> codecs;

    Unframing(String schemaJson, MessageFormat format) {
      this.schemaJson = schemaJson;
      this.format = format;
    }

    @Override
    public byte[] call(byte[] key, byte[] value) {
      if (value == null) {
        return null;
      }
      if (codecs == null) {
        schema = new Schema.Parser().parse(schemaJson);
        codecs = new EnumMap<>(MessageFormat.class);
      }
      MessageFormat framing = format != null ? format : MessageFormats.detect(key, value);
      return codecs.computeIfAbsent(framing, f -> AlertCodec.of(f, schema)).unframe(value);
    }
  }
}
