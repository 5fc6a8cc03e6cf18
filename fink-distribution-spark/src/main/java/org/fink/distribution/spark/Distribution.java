package org.fink.distribution.spark;

import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.config.FinkConfig;
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
 * <p>Messages: key = the alert's {@code objectId} (or {@link DistributionOptions.Settings#keyField}), value framed as
 * {@link DistributionOptions.Settings#format}, headers {@link AlertHeaders} (stream, schema fingerprint, alert id
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
  public static final class Builder extends DistributionOptions.Settings<Builder> {
    private SparkSession spark;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** Takes every setting from the configuration ({@link DistributionOptions.Settings#config}), and the session. */
    @Override
    public Builder config(SparkSession spark, FinkConfig config) {
      this.spark = spark;
      return super.config(spark, config);
    }

    /** The session that reads the science database and runs the query. */
    public Builder spark(SparkSession spark) {
      this.spark = spark;
      return this;
    }

    public Distribution build() {
      Objects.requireNonNull(spark, "spark");
      return new Distribution(spark, options());
    }
  }
}
