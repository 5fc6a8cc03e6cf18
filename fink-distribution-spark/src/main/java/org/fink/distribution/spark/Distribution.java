package org.fink.distribution.spark;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.StartingOffset;
import org.fink.distribution.rules.DistributionRules;

/**
 * The distribution service: scans the science database for new alerts, applies the rules of every stream in one
 * pass, encodes each selected alert in Avro with its stream's schema and publishes it to the stream's topic.
 * A distribution is {@linkplain #plan() planned} (settings checked, stream schemas derived), then run:
 * {@link #runOnce()}, or {@link #start()} which returns the {@link RunningDistribution}.
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
 * distribution.plan().schemas();                                // each stream's schema, nothing started
 * DistributionProgress.Summary done = distribution.runOnce();   // publish what is new, then return
 *
 * try (RunningDistribution running = distribution.start()) {    // or: keep publishing as alerts land
 *   running.awaitTermination();
 * }
 * }</pre>
 *
 * <p>From a configuration file instead ({@code SCIENCE_DB_PATH}, {@code DISTRIBUTION_RULES_XML},
 * {@code DISTRIBUTION_SERVERS}, {@code FINK_ALERT_CHECKPOINT_KAFKA}..., as {@code bin/fink start distribution}):
 * {@code Distribution.builder().config(spark, FinkConfig.load(...)).build()}; the settings are
 * {@link DistributionOptions}.
 *
 * <p>Messages: key = the alert's {@code objectId} (or {@link Builder#keyField}), value framed as
 * {@link Builder#format}, headers {@link AlertHeaders} (stream, schema fingerprint, alert id
 * from {@code candid} when the science database has it). Each stream's schema is written to its {@code .avsc} file
 * and published to the schema topic before the first message, after checking that consumers of the previous schema
 * can read it.
 */
public final class Distribution {
  private final SparkSession spark;
  private final DistributionOptions options;

  private Distribution(SparkSession spark, DistributionOptions options) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A distribution with {@code options}, run on {@code spark}. */
  public static Distribution of(SparkSession spark, DistributionOptions options) {
    return new Distribution(spark, options);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings of this distribution. */
  public DistributionOptions options() {
    return options;
  }

  /** The rules this distribution applies. */
  public DistributionRules rules() {
    return options.rules();
  }

  /**
   * Checks the settings against the science database and derives each stream's topic and schema, without starting
   * anything or contacting Kafka.
   */
  public DistributionPlan plan() {
    return DistributionPlan.of(spark, options);
  }

  /** Starts publishing: the query scans the science database every trigger interval until stopped. */
  public RunningDistribution start() {
    return DistributionQuery.start(plan(), options.triggerSeconds() <= 0 ? Trigger.ProcessingTime(0L)
        : Trigger.ProcessingTime((long) (options.triggerSeconds() * 1000)));
  }

  /** Starts publishing every alert not yet published (per the checkpoint); the run then ends by itself. */
  public RunningDistribution startOnce() {
    return DistributionQuery.start(plan(), Trigger.AvailableNow());
  }

  /** Publishes every alert not yet published (per the checkpoint), then returns what was done. */
  public DistributionProgress.Summary runOnce() {
    try (RunningDistribution running = startOnce()) {
      return running.awaitTermination();
    }
  }

  /**
   * Settings of a distribution, set one by one as in {@link DistributionOptions.Builder}, and the Spark session;
   * {@code spark}, {@code scienceDb}, {@code rules}, {@code servers}, {@code checkpoint} are required.
   */
  public static final class Builder {
    private SparkSession spark;
    private final DistributionOptions.Builder options = DistributionOptions.builder();

    private Builder() {}

    /** Takes every setting from the configuration: {@link DistributionOptions.Builder#config}. */
    public Builder config(SparkSession spark, FinkConfig config) {
      this.spark = spark;
      options.config(spark, config);
      return this;
    }

    public Builder spark(SparkSession spark) {
      this.spark = spark;
      return this;
    }

    public Builder scienceDb(ScienceDb scienceDb) {
      options.scienceDb(scienceDb);
      return this;
    }

    public Builder rules(DistributionRules rules) {
      options.rules(rules);
      return this;
    }

    /** Kafka bootstrap servers. */
    public Builder servers(String servers) {
      options.servers(servers);
      return this;
    }

    /** Checkpoint folder: what has been published. */
    public Builder checkpoint(String checkpoint) {
      options.checkpoint(checkpoint);
      return this;
    }

    /** Topic of streams that name none. */
    public Builder defaultTopic(String topic) {
      options.defaultTopic(topic);
      return this;
    }

    /** Where the default topic's schema is written; other topics' beside it. Null: write none. */
    public Builder schemaFile(Path schemaFile) {
      options.schemaFile(schemaFile);
      return this;
    }

    /** Compacted topic where stream schemas are published; null or blank: none. */
    public Builder schemaTopic(String schemaTopic) {
      options.schemaTopic(schemaTopic);
      return this;
    }

    /** Publish a schema even if consumers of the previous one cannot read it. */
    public Builder forceSchemaChange(boolean force) {
      options.forceSchemaChange(force);
      return this;
    }

    public Builder format(MessageFormat format) {
      options.format(format);
      return this;
    }

    /** Field whose value is the message key (default {@code objectId}). */
    public Builder keyField(String keyField) {
      options.keyField(keyField);
      return this;
    }

    /** Seconds between scans in streaming mode. */
    public Builder triggerSeconds(double seconds) {
      options.triggerSeconds(seconds);
      return this;
    }

    /** At most this many science-database files per micro-batch (0: no limit). */
    public Builder maxFilesPerTrigger(int files) {
      options.maxFilesPerTrigger(files);
      return this;
    }

    /** At least once (the default), or exactly once: {@link DistributionOptions.Builder#delivery}. */
    public Builder delivery(DeliveryGuarantee delivery) {
      options.delivery(delivery);
      return this;
    }

    /** Topic of the exactly-once commit markers. */
    public Builder commitsTopic(String topic) {
      options.commitsTopic(topic);
      return this;
    }

    /** Which alerts a new checkpoint starts from. */
    public Builder startingOffset(StartingOffset offset) {
      options.startingOffset(offset);
      return this;
    }

    /** A Kafka producer setting ({@code linger.ms}, {@code compression.type}, security settings...). */
    public Builder kafkaOption(String key, String value) {
      options.kafkaOption(key, value);
      return this;
    }

    /** Several Kafka client settings, e.g. {@code KafkaSecurity.of(config).clientProperties()}. */
    public Builder kafkaOptions(Map<String, String> settings) {
      options.kafkaOptions(settings);
      return this;
    }

    /** The settings as set so far. */
    public DistributionOptions options() {
      return options.build();
    }

    public Distribution build() {
      Objects.requireNonNull(spark, "spark");
      return new Distribution(spark, options.build());
    }
  }
}
