package org.fink.distribution.spark;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.config.StartingOffset;
import org.fink.distribution.kafka.BatchCommits;
import org.fink.distribution.kafka.SchemaTopic;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.xml.RulesXml;

/**
 * The settings of a distribution, fixed once built: where alerts come from (science database, rules), where they go
 * (servers, topics, schema file and topic, format, key, delivery guarantee), how often (trigger, files per batch,
 * starting offset) and the Kafka client settings. Read once from the configuration, or set one by one:
 *
 * <pre>{@code
 * DistributionOptions fromFile = DistributionOptions.builder().config(spark, FinkConfig.load(path)).build();
 * DistributionOptions byHand = DistributionOptions.builder()
 *     .scienceDb(new ScienceDb(spark, "science_db", "parquet"))
 *     .rules(RulesXml.read(Path.of("conf/distribution-rules.xml")))
 *     .servers("127.0.0.1:9092").checkpoint("checkpoints/distribution")
 *     .kafkaOption("compression.type", "lz4")
 *     .build();
 * Distribution.of(spark, byHand).runOnce();
 * }</pre>
 *
 * @param scienceDb where alerts are read
 * @param rules the streams and their filters
 * @param servers Kafka bootstrap servers
 * @param checkpoint checkpoint folder: what has been published
 * @param defaultTopic topic of streams that name none
 * @param schemaFile where the default topic's schema is written, other topics' beside it; null: none
 * @param schemaTopic compacted topic where stream schemas are published; null or blank: none (and in the Fink framing
 *     no {@code <topic>_schema} either)
 * @param forceSchemaChange publish a schema even if consumers of the previous one cannot read it
 * @param format message framing (default {@code fink}: what fink-client reads)
 * @param keyField field naming the object: the message key, or in the Fink framing what picks the partition
 * @param triggerSeconds seconds between scans in streaming mode (0 or less: as soon as the last scan ends)
 * @param maxFilesPerTrigger at most this many science-database files per micro-batch (0: no limit)
 * @param startingOffset which alerts a new checkpoint starts from ({@code DISTRIBUTION_OFFSET})
 * @param delivery at least once, or exactly once (Kafka transactions and commit markers)
 * @param commitsTopic topic of the exactly-once commit markers
 * @param kafkaOptions Kafka producer and client settings (unmodifiable, in the order set)
 */
public record DistributionOptions(ScienceDb scienceDb, DistributionRules rules, String servers, String checkpoint,
    String defaultTopic, Path schemaFile, String schemaTopic, boolean forceSchemaChange, MessageFormat format,
    String keyField, double triggerSeconds, int maxFilesPerTrigger, StartingOffset startingOffset,
    DeliveryGuarantee delivery, String commitsTopic, Map<String, String> kafkaOptions) {

  /** Checks that the required settings are there and freezes the Kafka settings. */
  public DistributionOptions {
    Objects.requireNonNull(scienceDb, "scienceDb");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(defaultTopic, "defaultTopic");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(keyField, "keyField");
    Objects.requireNonNull(startingOffset, "startingOffset");
    Objects.requireNonNull(delivery, "delivery");
    kafkaOptions = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaOptions));
  }

  /** Settings with the defaults of {@code bin/fink start distribution}; set the required ones. */
  public static Builder builder() {
    return new Builder();
  }

  /** The topic a stream is published to: its own, or the default topic. */
  public String topicOf(DistributionStream stream) {
    return stream.topicOr(defaultTopic);
  }

  /** Whether each task publishes in a Kafka transaction with commit markers. */
  public boolean exactlyOnce() {
    return delivery == DeliveryGuarantee.EXACTLY_ONCE;
  }

  /** The producer's largest request ({@code max.request.size}, Kafka's default 1 MiB). */
  public int producerMaxBytes() {
    return Integer.parseInt(kafkaOptions.getOrDefault("max.request.size", "1048576"));
  }

  /** The Kafka settings that any client needs (not the producer tuning): security. */
  public Properties clientProperties() {
    return clientProperties(kafkaOptions);
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

  /**
   * Sets the options one by one; {@code scienceDb}, {@code rules}, {@code servers}, {@code checkpoint} are required.
   */
  public static final class Builder extends Settings<Builder> {
    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** The options; fails naming the first required one missing. */
    public DistributionOptions build() {
      return options();
    }
  }

  /**
   * The settings of a distribution, set one by one, shared by {@link Builder} and {@link Distribution.Builder}.
   *
   * @param <B> the builder type each setter returns
   */
  public abstract static class Settings<B extends Settings<B>> {
    private ScienceDb scienceDb;
    private DistributionRules rules;
    private String servers;
    private String checkpoint;
    private String defaultTopic = "fink_outstream";
    private Path schemaFile;
    private String schemaTopic = SchemaTopic.DEFAULT_NAME;
    private boolean forceSchemaChange;
    private MessageFormat format = MessageFormat.FINK;
    private String keyField = "objectId";
    private double triggerSeconds = 2;
    private int maxFilesPerTrigger;
    private StartingOffset startingOffset = new StartingOffset(StartingOffset.Kind.EARLIEST, 0);
    private DeliveryGuarantee delivery = DeliveryGuarantee.AT_LEAST_ONCE;
    private String commitsTopic = BatchCommits.DEFAULT_NAME;
    private final Map<String, String> kafkaOptions = new LinkedHashMap<>(defaultProducerOptions());

    Settings() {}

    /** This builder, as its own type. */
    protected abstract B self();

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
      // DISTRIBUTION_COMPRESSION's default (bench/README.md, Compression)
      options.put("compression.type", "lz4");
      return options;
    }

    /**
     * Takes every setting from the configuration: science database, rules file, servers, checkpoint, topic,
     * schema file, format, key, trigger, starting offset, and the Kafka security settings ({@link KafkaSecurity}:
     * SASL login of DISTRIBUTION_USERNAME). The rules file is read and checked here.
     *
     * @param spark the session that reads the science database
     */
    public B config(SparkSession spark, FinkConfig config) {
      return scienceDb(ScienceDb.of(spark, config))
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
          .kafkaOption("compression.type", config.compression())
          .kafkaOptions(KafkaSecurity.of(config).clientProperties());
    }

    public B scienceDb(ScienceDb scienceDb) {
      this.scienceDb = scienceDb;
      return self();
    }

    public B rules(DistributionRules rules) {
      this.rules = rules;
      return self();
    }

    /** Kafka bootstrap servers. */
    public B servers(String servers) {
      this.servers = servers;
      return self();
    }

    /** Checkpoint folder: what has been published. */
    public B checkpoint(String checkpoint) {
      this.checkpoint = checkpoint;
      return self();
    }

    /** Topic of streams that name none. */
    public B defaultTopic(String topic) {
      this.defaultTopic = topic;
      return self();
    }

    /** Where the default topic's schema is written; other topics' beside it. Null: write none. */
    public B schemaFile(Path schemaFile) {
      this.schemaFile = schemaFile;
      return self();
    }

    /** Compacted topic where stream schemas are published; null or blank: none. */
    public B schemaTopic(String schemaTopic) {
      this.schemaTopic = schemaTopic;
      return self();
    }

    /** Publish a schema even if consumers of the previous one cannot read it. */
    public B forceSchemaChange(boolean force) {
      this.forceSchemaChange = force;
      return self();
    }

    public B format(MessageFormat format) {
      this.format = format;
      return self();
    }

    /** Field whose value is the message key (default {@code objectId}). */
    public B keyField(String keyField) {
      this.keyField = keyField;
      return self();
    }

    /** Seconds between scans in streaming mode. */
    public B triggerSeconds(double seconds) {
      this.triggerSeconds = seconds;
      return self();
    }

    /**
     * At most this many science-database files per micro-batch (0: no limit). Smaller batches bound what a crash
     * sends twice, and the latency of the first alerts of a large backlog.
     */
    public B maxFilesPerTrigger(int files) {
      this.maxFilesPerTrigger = files;
      return self();
    }

    /**
     * At least once (the default), or exactly once: each task publishes in a Kafka transaction with commit markers
     * of the science-database rows it read ({@link BatchCommits}), so that a batch sent again after a crash adds
     * nothing. Consumers then read with {@code isolation.level=read_committed}.
     */
    public B delivery(DeliveryGuarantee delivery) {
      this.delivery = delivery;
      return self();
    }

    /** Topic of the exactly-once commit markers (default {@value BatchCommits#DEFAULT_NAME}). */
    public B commitsTopic(String topic) {
      this.commitsTopic = topic;
      return self();
    }

    /** Which alerts a new checkpoint starts from: all, those ingested after the first start, or after a time. */
    public B startingOffset(StartingOffset offset) {
      this.startingOffset = offset;
      return self();
    }

    /** A Kafka producer setting ({@code linger.ms}, {@code compression.type}, security settings...). */
    public B kafkaOption(String key, String value) {
      kafkaOptions.put(key, value);
      return self();
    }

    /** Several Kafka client settings, e.g. {@code KafkaSecurity.of(config).clientProperties()}. */
    public B kafkaOptions(Map<String, String> options) {
      kafkaOptions.putAll(options);
      return self();
    }

    /** The options as set so far; fails naming the first required one missing. */
    public DistributionOptions options() {
      return new DistributionOptions(scienceDb, rules, servers, checkpoint, defaultTopic, schemaFile, schemaTopic,
          forceSchemaChange, format, keyField, triggerSeconds, maxFilesPerTrigger, startingOffset, delivery,
          commitsTopic, kafkaOptions);
    }
  }
}
