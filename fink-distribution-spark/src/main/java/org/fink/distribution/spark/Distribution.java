package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.config.StartingOffset;
import org.fink.distribution.kafka.BatchCommits;
import org.fink.distribution.kafka.PublishCheck;
import org.fink.distribution.kafka.SchemaDelivery;
import org.fink.distribution.kafka.SchemaTopic;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.SchemaPaths;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.schema.DistributionSchema;
import org.fink.distribution.schema.SchemaFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distribution service: scans the science database for new alerts, applies the rules of every stream in one
 * pass, encodes each selected alert in Avro with its stream's schema and publishes it to the stream's topic.
 *
 * <pre>{@code
 * SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-distribution");
 * Distribution distribution = Distribution.builder()
 *     .spark(spark)
 *     .scienceDb(new ScienceDb(spark, "science_db", "parquet"))
 *     .rules(RulesXml.read(Path.of("conf/distribution-rules.xml")))
 *     .servers("127.0.0.1:9092")
 *     .checkpoint("checkpoints/distribution")
 *     .schemaFile(Path.of("schemas/distribution_schema.avsc"))
 *     .build();
 * DistributionProgress.Summary done = distribution.runOnce();   // publish what is new, then return
 *
 * StreamingQuery query = distribution.start();                  // or: keep publishing as alerts land
 * query.awaitTermination();
 * }</pre>
 *
 * <p>From a configuration file instead ({@code SCIENCE_DB_PATH}, {@code DISTRIBUTION_RULES_XML},
 * {@code DISTRIBUTION_SERVERS}, {@code FINK_ALERT_CHECKPOINT_KAFKA}..., as {@code bin/fink start distribution}):
 * {@code Distribution.builder().config(spark, FinkConfig.load(...)).build()}.
 *
 * <p>Messages: key = the alert's {@code objectId} (or {@link Builder#keyField}), value framed as
 * {@link Builder#format}, headers {@link AlertHeaders} (stream, schema fingerprint, alert id
 * from {@code candid} when the science database has it). Each stream's schema is written to its {@code .avsc} file
 * and published to the schema topic before the first message, after checking that consumers of the previous schema
 * can read it.
 */
public final class Distribution {
  /** Science-database fields that may hold the alert's unique id, by survey, first found wins. */
  public static final List<String> ALERT_ID_FIELDS =
      java.util.Arrays.stream(SurveyIngest.Survey.values()).map(SurveyIngest.Survey::alertIdField).toList();

  private static final String QUERY_NAME = "fink-distribution";
  private static final Logger LOG = LoggerFactory.getLogger(Distribution.class);

  private final Builder config;
  private final Map<DistributionStream, Schema> schemas = new LinkedHashMap<>();
  private final DistributionProgress progress = new DistributionProgress();

  private Distribution(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The rules this distribution applies. */
  public DistributionRules rules() {
    return config.rules;
  }

  /** The Avro schema of each stream, derived when the query starts. */
  public Map<DistributionStream, Schema> schemas() {
    return schemas;
  }

  /** Starts the streaming query: it scans the science database every trigger interval until stopped. */
  public StreamingQuery start() {
    return start(config.triggerSeconds <= 0 ? Trigger.ProcessingTime(0L)
        : Trigger.ProcessingTime((long) (config.triggerSeconds * 1000)));
  }

  /** Publishes every alert not yet published (per the checkpoint), then returns what was done. */
  public DistributionProgress.Summary runOnce() {
    StreamingQuery query = start(Trigger.AvailableNow());
    try {
      query.awaitTermination();
    } catch (StreamingQueryException e) {
      throw DistributionException.failed(e);
    } finally {
      config.spark.streams().removeListener(progress);
    }
    return progress.summary();
  }

  /** What the distribution has done so far (alerts read, messages per topic, bytes). */
  public DistributionProgress.Summary progress() {
    return progress.summary();
  }

  /**
   * Stops a running distribution between two micro-batches, so that the batch in flight is committed to the
   * checkpoint and not sent again on restart. Gives up waiting after {@code timeout} and stops anyway (a batch cut
   * short is sent again on restart: at least once, never lost).
   */
  public static void stopGracefully(StreamingQuery query, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
        query.awaitTermination(50);
      }
      query.stop();
    } catch (TimeoutException | StreamingQueryException e) {
      throw new DistributionException("the distribution did not stop cleanly: " + e.getMessage(), e);
    }
  }

  private StreamingQuery start(Trigger trigger) {
    boolean parquet = "parquet".equalsIgnoreCase(config.scienceDb.format());
    if (config.delivery == DeliveryGuarantee.EXACTLY_ONCE && !parquet) {
      throw new DistributionException("DISTRIBUTION_DELIVERY=exactly-once needs a Parquet science database (its commit"
          + " markers name rows by their index in the file); SCIENCE_DB_FORMAT is " + config.scienceDb.format()
          + ": use at-least-once");
    }
    StructType dbSchema = config.scienceDb.schema();
    Schema dbAvro = ScienceDb.avroSchema(dbSchema);
    RuleValidator.validate(config.rules, dbAvro);
    if (SchemaPaths.find(dbAvro, FieldPath.of(config.keyField)).isEmpty()) {
      throw new DistributionException("the message key field " + config.keyField + " (DISTRIBUTION_KEY) is not in the"
          + " science database; set DISTRIBUTION_KEY to the field that names the object (ZTF: objectId, Rubin:"
          + " diaSource.diaObjectId)");
    }
    Dataset<Row> alerts = sinceStart(config.scienceDb.readStream(dbSchema, config.maxFilesPerTrigger), dbSchema);
    Map<DistributionStream, Schema> derived = new LinkedHashMap<>();
    for (DistributionStream stream : config.rules.streams()) {
      derived.put(stream, DistributionSchema.derive(dbAvro, stream));
    }
    List<String> topics = config.rules.streams().stream().map(s -> s.topicOr(config.defaultTopic)).distinct().toList();
    Map<String, Integer> topicMaxBytes = PublishCheck.check(config.servers, clientProperties(), topics);
    CheckpointFolder.checkWritable(config.spark, config.checkpoint);
    int producerMaxBytes = Integer.parseInt(config.kafkaOptions.getOrDefault("max.request.size", "1048576"));
    SchemaDelivery delivery = new SchemaDelivery(config.schemaTopic == null || config.schemaTopic.isBlank() ? null
        : new SchemaTopic(config.servers, config.schemaTopic, clientProperties()), config.forceSchema);
    List<StreamFanOut.Output> outputs = new ArrayList<>();
    for (Map.Entry<DistributionStream, Schema> entry : derived.entrySet()) {
      DistributionStream stream = entry.getKey();
      Schema schema = entry.getValue();
      String topic = stream.topicOr(config.defaultTopic);
      schemas.put(stream, schema);
      Path file = config.schemaFile == null ? null : SchemaFiles.forTopic(config.schemaFile, config.defaultTopic, topic);
      delivery.deliver(topic, schema, file);
      LOG.info("stream {} -> topic {}: schema {}{}", stream.name(), topic,
          SchemaFingerprint.hex(SchemaFingerprint.of(schema)), file == null ? "" : " written to " + file);
      int maxBytes = Math.min(producerMaxBytes, topicMaxBytes.getOrDefault(topic, Integer.MAX_VALUE));
      outputs.add(new StreamFanOut.Output(stream, topic, schema, maxBytes));
    }
    boolean exactlyOnce = config.delivery == DeliveryGuarantee.EXACTLY_ONCE;
    if (exactlyOnce) {
      new BatchCommits(config.servers, config.commitsTopic, clientProperties()).ensureExists();
    }
    StreamFanOut.Routing routing = StreamFanOut.route(alerts, dbSchema, outputs, config.keyField,
        alertIdField(dbSchema), exactlyOnce);
    KafkaAlertWriter kafka = new KafkaAlertWriter(config.spark, routing, config.servers, config.kafkaOptions,
        config.format, exactlyOnce ? config.commitsTopic : null, progress);
    DataStreamWriter<Row> writer = routing.rows().writeStream()
        .foreachBatch(kafka)
        .queryName(QUERY_NAME)
        .option("checkpointLocation", config.checkpoint)
        .trigger(trigger);
    config.spark.streams().addListener(progress);
    try {
      StreamingQuery query = QueryScopedConf.DISTRIBUTION.start(config.spark, writer);
      progress.follow(query.id());
      return query;
    } catch (TimeoutException e) {
      throw new DistributionException("the distribution query did not start: " + e.getMessage(), e);
    }
  }

  /** The Kafka settings that any client needs (not the producer tuning): security. */
  private Properties clientProperties() {
    return clientProperties(config.kafkaOptions);
  }

  /** Of Kafka settings, those that any client needs (not the producer tuning): security. */
  static Properties clientProperties(Map<String, ?> options) {
    Properties props = new Properties();
    options.forEach((k, v) -> {
      if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
        props.put(k, v);
      }
    });
    return props;
  }

  /** The alert-id field of this science database, or null when it has none of the known ones. */
  private static String alertIdField(StructType dbSchema) {
    Schema avro = ScienceDb.avroSchema(dbSchema);
    return ALERT_ID_FIELDS.stream().filter(f -> SchemaPaths.find(avro, FieldPath.of(f)).isPresent()).findFirst()
        .orElse(null);
  }

  /** Applies {@code DISTRIBUTION_OFFSET}: all records, or those ingested after the checkpoint's start. */
  private Dataset<Row> sinceStart(Dataset<Row> alerts, StructType dbSchema) {
    StartingOffset offset = config.startingOffset;
    if (offset.kind() == StartingOffset.Kind.EARLIEST) {
      return alerts;
    }
    if (dbSchema.getFieldIndex(ScienceDb.INGEST_TIME).isEmpty()) {
      throw new DistributionException("DISTRIBUTION_OFFSET=" + offset.kind().name().toLowerCase()
          + " needs the science database column " + ScienceDb.INGEST_TIME + "; use earliest for this database");
    }
    long since = offset.kind() == StartingOffset.Kind.TIMESTAMP ? offset.epochMillis()
        : new CheckpointStart(config.spark, config.checkpoint).epochMillis();
    return alerts.filter(col(ScienceDb.INGEST_TIME).geq(lit(new Timestamp(since))));
  }

  /** Settings of a distribution; {@code spark}, {@code scienceDb}, {@code rules}, {@code servers}, {@code checkpoint} are required. */
  public static final class Builder {
    private SparkSession spark;
    private ScienceDb scienceDb;
    private DistributionRules rules;
    private String servers;
    private String checkpoint;
    private String defaultTopic = "fink_outstream";
    private Path schemaFile;
    private String schemaTopic = SchemaTopic.DEFAULT_NAME;
    private boolean forceSchema;
    private MessageFormat format = MessageFormat.AVRO_SINGLE_OBJECT;
    private String keyField = "objectId";
    private double triggerSeconds = 2;
    private int maxFilesPerTrigger;
    private StartingOffset startingOffset = new StartingOffset(StartingOffset.Kind.EARLIEST, 0);
    private DeliveryGuarantee delivery = DeliveryGuarantee.AT_LEAST_ONCE;
    private String commitsTopic = BatchCommits.DEFAULT_NAME;
    private final Map<String, String> kafkaOptions = new LinkedHashMap<>(defaultProducerOptions());

    private Builder() {}

    private static Map<String, String> defaultProducerOptions() {
      Map<String, String> options = new LinkedHashMap<>();
      options.put("acks", "all");
      options.put("linger.ms", "20");
      // several alerts per batch, yet below the broker's default message.max.bytes (1 MiB)
      options.put("batch.size", String.valueOf(512 * 1024));
      // the OS sizes (and grows) the socket's send buffer; Kafka's fixed 128 KiB takes a few batches per write, and
      // on each write the JDK first copies the whole rest of the request (up to max.request.size) from the heap into
      // direct memory: most of what made 10 streams (many partly full batches per request) cost more CPU than one
      // (bench/README.md, Tuning)
      options.put("send.buffer.bytes", "-1");
      return options;
    }

    /**
     * Takes every setting from the configuration: science database, rules file, servers, checkpoint, topic,
     * schema file, format, key, trigger, starting offset, and the Kafka security settings ({@link KafkaSecurity}:
     * SASL login of DISTRIBUTION_USERNAME). The rules file is read and checked here.
     */
    public Builder config(SparkSession spark, FinkConfig config) {
      return spark(spark)
          .scienceDb(ScienceDb.of(spark, config))
          .rules(RulesXml.read(config.path(ConfigKey.DISTRIBUTION_RULES_XML)))
          .servers(config.get(ConfigKey.DISTRIBUTION_SERVERS))
          .checkpoint(config.get(ConfigKey.FINK_ALERT_CHECKPOINT_KAFKA))
          .defaultTopic(config.get(ConfigKey.DISTRIBUTION_TOPIC))
          .schemaFile(config.path(ConfigKey.DISTRIBUTION_SCHEMA))
          .schemaTopic(config.get(ConfigKey.DISTRIBUTION_SCHEMA_TOPIC))
          .format(config.messageFormat())
          .keyField(config.get(ConfigKey.DISTRIBUTION_KEY))
          .triggerSeconds(config.decimal(ConfigKey.FINK_TRIGGER_UPDATE))
          .startingOffset(config.startingOffset())
          .maxFilesPerTrigger(config.integer(ConfigKey.DISTRIBUTION_MAX_FILES_PER_TRIGGER))
          .delivery(config.deliveryGuarantee())
          .commitsTopic(config.get(ConfigKey.DISTRIBUTION_COMMITS_TOPIC))
          .kafkaOptions(KafkaSecurity.of(config).clientProperties());
    }

    public Builder spark(SparkSession spark) {
      this.spark = spark;
      return this;
    }

    public Builder scienceDb(ScienceDb scienceDb) {
      this.scienceDb = scienceDb;
      return this;
    }

    public Builder rules(DistributionRules rules) {
      this.rules = rules;
      return this;
    }

    /** Kafka bootstrap servers. */
    public Builder servers(String servers) {
      this.servers = servers;
      return this;
    }

    /** Checkpoint folder: what has been published. */
    public Builder checkpoint(String checkpoint) {
      this.checkpoint = checkpoint;
      return this;
    }

    /** Topic of streams that name none. */
    public Builder defaultTopic(String topic) {
      this.defaultTopic = topic;
      return this;
    }

    /** Where the default topic's schema is written; other topics' beside it. Null: write none. */
    public Builder schemaFile(Path schemaFile) {
      this.schemaFile = schemaFile;
      return this;
    }

    /** Compacted topic where stream schemas are published; null or blank: none. */
    public Builder schemaTopic(String schemaTopic) {
      this.schemaTopic = schemaTopic;
      return this;
    }

    /** Publish a schema even if consumers of the previous one cannot read it. */
    public Builder forceSchemaChange(boolean force) {
      this.forceSchema = force;
      return this;
    }

    public Builder format(MessageFormat format) {
      this.format = format;
      return this;
    }

    /** Field whose value is the message key (default {@code objectId}). */
    public Builder keyField(String keyField) {
      this.keyField = keyField;
      return this;
    }

    /** Seconds between scans in streaming mode. */
    public Builder triggerSeconds(double seconds) {
      this.triggerSeconds = seconds;
      return this;
    }

    /**
     * At most this many science-database files per micro-batch (0: no limit). Smaller batches bound what a crash
     * sends twice, and the latency of the first alerts of a large backlog.
     */
    public Builder maxFilesPerTrigger(int files) {
      this.maxFilesPerTrigger = files;
      return this;
    }

    /**
     * At least once (the default), or exactly once: each task publishes in a Kafka transaction with commit markers
     * of the science-database rows it read ({@link BatchCommits}), so that a batch sent again after a crash adds
     * nothing. Consumers then read with {@code isolation.level=read_committed}.
     */
    public Builder delivery(DeliveryGuarantee delivery) {
      this.delivery = delivery;
      return this;
    }

    /** Topic of the exactly-once commit markers (default {@value BatchCommits#DEFAULT_NAME}). */
    public Builder commitsTopic(String topic) {
      this.commitsTopic = topic;
      return this;
    }

    public Builder startingOffset(StartingOffset offset) {
      this.startingOffset = offset;
      return this;
    }

    /** A Kafka producer setting ({@code linger.ms}, {@code compression.type}, security settings...). */
    public Builder kafkaOption(String key, String value) {
      kafkaOptions.put(key, value);
      return this;
    }

    /** Several Kafka client settings, e.g. {@code KafkaSecurity.of(config).clientProperties()}. */
    public Builder kafkaOptions(Map<String, String> options) {
      kafkaOptions.putAll(options);
      return this;
    }

    public Distribution build() {
      Objects.requireNonNull(spark, "spark");
      Objects.requireNonNull(scienceDb, "scienceDb");
      Objects.requireNonNull(rules, "rules");
      Objects.requireNonNull(servers, "servers");
      Objects.requireNonNull(checkpoint, "checkpoint");
      return new Distribution(this);
    }
  }
}
