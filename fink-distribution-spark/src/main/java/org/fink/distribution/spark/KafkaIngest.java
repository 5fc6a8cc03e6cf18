package org.fink.distribution.spark;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a survey's Kafka alert stream into the science database, continuously: a Spark Structured Streaming query
 * with a Kafka source whose micro-batches are stored like file ingest ({@link SurveyIngest}): same layout (night
 * partition, ingestion time, survey field docs), same idempotence (an alert whose id is already stored, or twice in a
 * batch, is stored once), one ingest at a time per science database (its lock is held while the query runs).
 *
 * <p>Messages: ZTF sends an Avro object container file per message; Rubin sends Confluent wire format ({@code 0x00},
 * 4-byte big-endian schema id, Avro record), decoded with the schema versions of a folder (7.4/ for id 704). A message
 * that is not a readable alert of the survey is quarantined, never dropped and never stopping the query: its bytes
 * are kept as {@code <topic>-<partition>-<offset>.avro|.bin} in the quarantine folder with the reason (and topic,
 * partition, offset, timestamp) in {@code <name>.reason.txt} beside it.
 *
 * <pre>{@code
 * SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-ingest");
 * KafkaIngest ingest = KafkaIngest.builder()
 *     .spark(spark).scienceDb(new ScienceDb(spark, "science_db", "parquet"))
 *     .survey(Survey.RUBIN, Path.of("lsst/schema"))         // ZTF: .survey(Survey.ZTF, null)
 *     .servers("survey-kafka:9092").topics("alerts-simulated")
 *     .kafkaOption("security.protocol", "SASL_SSL")           // any Kafka consumer setting
 *     .checkpoint("checkpoints/ingest").quarantine(Path.of("quarantine"))
 *     .build();
 * try (KafkaIngest.Running running = ingest.start()) {       // or ingest.runAvailable(): what is there, then return
 *   running.awaitTermination();
 * }
 * }</pre>
 *
 * <p>From a configuration ({@code INGEST_KAFKA_SERVERS}, {@code INGEST_KAFKA_TOPICS}, {@code INGEST_STARTING_OFFSET},
 * {@code INGEST_KAFKA_PROPERTIES}, {@code INGEST_SCHEMA_REGISTRY_URL}, {@code INGEST_CHECKPOINT},
 * {@code INGEST_QUARANTINE}, {@code INGEST_TRIGGER}), as
 * {@code bin/fink start ingest --from-kafka}: {@code KafkaIngest.builder().config(spark, config)}.
 */
public final class KafkaIngest {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);
  /** The query's name. */
  static final String NAME = "fink-kafka-ingest";
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

  /** What the query has done so far: alerts decoded (stored unless already there) and messages quarantined. */
  public record Progress(long batches, long alerts, long quarantined) {}

  private final Builder settings;

  private KafkaIngest(Builder settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the query: it reads the topics every trigger interval until stopped. */
  public Running start() {
    return start(settings.triggerSeconds <= 0 ? Trigger.ProcessingTime(0L)
        : Trigger.ProcessingTime((long) (settings.triggerSeconds * 1000)));
  }

  /** Ingests every message not ingested yet (per the checkpoint), then returns. */
  public Progress runAvailable() {
    try (Running running = start(Trigger.AvailableNow())) {
      running.awaitTermination();
      return running.progress();
    }
  }

  private Running start(Trigger trigger) {
    Builder s = settings;
    DataStreamReader reader = s.spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", s.servers)
        .option("subscribe", String.join(",", s.topics));
    String offset = s.startingOffset.strip();
    if (offset.matches("\\d+")) {
      reader = reader.option("startingTimestamp", offset);
    } else {
      reader = reader.option("startingOffsets", offset);
    }
    if (s.maxOffsetsPerTrigger > 0) {
      reader = reader.option("maxOffsetsPerTrigger", s.maxOffsetsPerTrigger);
    }
    for (Map.Entry<String, String> option : s.kafkaOptions.entrySet()) {
      reader = reader.option("kafka." + option.getKey(), option.getValue());
    }
    Dataset<Row> messages = reader.load().select("topic", "partition", "offset", "timestamp", "value");
    IngestLock lock = IngestLock.acquire(s.scienceDb);
    KafkaIngestBatch store = new KafkaIngestBatch(s.spark, s.scienceDb, s.survey,
        new SurveyMessageDecoder(s.survey, wireSchemas(s.schemas), s.schemaRegistry), s.quarantine);
    try {
      StreamingQuery query = messages.writeStream().queryName(NAME)
          .option("checkpointLocation", s.checkpoint)
          .trigger(trigger)
          .foreachBatch(store)
          .start();
      LOG.info("ingesting {} alerts from {} on {} into {}", AlertFile.surveyName(s.survey), s.topics, s.servers,
          s.scienceDb.path());
      return new Running(query, store, lock);
    } catch (TimeoutException | RuntimeException e) {
      lock.close();
      throw new IngestException("the Kafka ingest query did not start: " + DistributionException.sparkMessage(e),
          e);
    }
  }

  /** Every schema version of the folder by its wire-format id ({@code 7.4/} is 704), as JSON; empty without one. */
  static Map<Integer, String> wireSchemas(Path folder) {
    Map<Integer, String> byId = new TreeMap<>();
    if (folder == null) {
      return byId;
    }
    SchemaFolder schemas = new SchemaFolder(folder);
    try (Stream<Path> versions = Files.list(folder)) {
      for (Path version : versions.filter(Files::isDirectory).toList()) {
        Matcher m = VERSION.matcher(version.getFileName().toString());
        if (m.matches()) {
          int id = Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2));
          try {
            byId.put(id, schemas.forSchemaId(id).toString());
          } catch (RuntimeException e) {
            LOG.warn("schema version {} of {} skipped: {}", version.getFileName(), folder, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list the schema folder " + folder + ": " + e.getMessage(), e);
    }
    if (byId.isEmpty()) {
      throw new IllegalArgumentException("no schema version folder (7.4/, 9.0/...) in " + folder
          + "; point it at the survey's schemas, one sub-folder per version");
    }
    return byId;
  }

  /** A started Kafka ingest: its query, its progress; closing it stops the query and releases the ingest lock. */
  public static final class Running implements AutoCloseable {
    private final StreamingQuery query;
    private final KafkaIngestBatch store;
    private final IngestLock lock;

    private Running(StreamingQuery query, KafkaIngestBatch store, IngestLock lock) {
      this.query = query;
      this.store = store;
      this.lock = lock;
    }

    /** The Spark query, e.g. for {@code status()} or {@code processAllAvailable()}. */
    public StreamingQuery query() {
      return query;
    }

    public Progress progress() {
      return store.progress();
    }

    /** Waits until the query ends (stopped, or with {@code runAvailable} done); its failure as an IngestException. */
    public void awaitTermination() {
      try {
        query.awaitTermination();
      } catch (StreamingQueryException e) {
        throw new IngestException("the Kafka ingest stopped: " + DistributionException.sparkMessage(e)
            + ". Fix the cause and start it again: it resumes from its checkpoint, stored alerts are skipped", e);
      }
    }

    /** Waits at most {@code timeout}; true when the query ended. */
    public boolean awaitTermination(Duration timeout) {
      try {
        return query.awaitTermination(timeout.toMillis());
      } catch (StreamingQueryException e) {
        throw new IngestException("the Kafka ingest stopped: " + DistributionException.sparkMessage(e), e);
      }
    }

    /** Stops the query (the batch in flight is abandoned; the next start redoes it) and releases the lock. */
    @Override
    public void close() {
      try {
        if (query.isActive()) {
          query.stop();
        }
      } catch (TimeoutException e) {
        LOG.warn("the Kafka ingest query did not stop in time: {}", e.getMessage());
      } finally {
        lock.close();
      }
    }
  }

  /** The settings; {@code spark}, {@code scienceDb}, {@code servers}, {@code topics}, {@code checkpoint} required. */
  public static final class Builder {
    private SparkSession spark;
    private ScienceDb scienceDb;
    private Survey survey = Survey.ZTF;
    private Path schemas;
    private String schemaRegistry;
    private String servers;
    private List<String> topics = List.of();
    private String startingOffset = "earliest";
    private final Map<String, String> kafkaOptions = new LinkedHashMap<>();
    private String checkpoint;
    private Path quarantine;
    private double triggerSeconds = 0.5;
    private long maxOffsetsPerTrigger = 2000;

    private Builder() {}

    /**
     * The session and every setting of the configuration: {@code INGEST_KAFKA_SERVERS}, {@code INGEST_KAFKA_TOPICS}
     * (comma-separated), {@code INGEST_STARTING_OFFSET}, {@code INGEST_KAFKA_PROPERTIES} (a file of Kafka consumer
     * settings: security.protocol, sasl.*, ssl.*), {@code INGEST_CHECKPOINT}, {@code INGEST_QUARANTINE},
     * {@code INGEST_TRIGGER}, {@code INGEST_MAX_OFFSETS_PER_TRIGGER}, and the science database.
     */
    public Builder config(SparkSession spark, FinkConfig config) {
      this.spark = spark;
      this.scienceDb = ScienceDb.of(spark, config);
      this.servers = required(config, ConfigKey.INGEST_KAFKA_SERVERS);
      this.topics = Stream.of(required(config, ConfigKey.INGEST_KAFKA_TOPICS).split(",")).map(String::strip)
          .filter(t -> !t.isEmpty()).toList();
      this.startingOffset = config.get(ConfigKey.INGEST_STARTING_OFFSET);
      this.checkpoint = config.get(ConfigKey.INGEST_CHECKPOINT);
      this.quarantine = config.path(ConfigKey.INGEST_QUARANTINE);
      this.triggerSeconds = Double.parseDouble(config.get(ConfigKey.INGEST_TRIGGER));
      this.maxOffsetsPerTrigger = Long.parseLong(config.get(ConfigKey.INGEST_MAX_OFFSETS_PER_TRIGGER));
      String registry = config.get(ConfigKey.INGEST_SCHEMA_REGISTRY_URL);
      this.schemaRegistry = registry == null || registry.isBlank() ? null : registry.strip();
      String properties = config.get(ConfigKey.INGEST_KAFKA_PROPERTIES);
      if (properties != null && !properties.isBlank()) {
        Path file = config.path(ConfigKey.INGEST_KAFKA_PROPERTIES);
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
          props.load(in);
        } catch (IOException e) {
          throw new IllegalArgumentException(ConfigKey.INGEST_KAFKA_PROPERTIES + "=" + file + " cannot be read ("
              + e.getMessage() + "); name a readable Java properties file of Kafka consumer settings", e);
        }
        props.stringPropertyNames().forEach(k -> kafkaOptions.put(k, props.getProperty(k)));
      }
      return this;
    }

    private static String required(FinkConfig config, ConfigKey key) {
      String value = config.get(key);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(key + " is not set: set it in the configuration file to ingest from"
            + " Kafka (" + key.description() + ")");
      }
      return value.strip();
    }

    public Builder spark(SparkSession spark) {
      this.spark = spark;
      return this;
    }

    public Builder scienceDb(ScienceDb scienceDb) {
      this.scienceDb = scienceDb;
      return this;
    }

    /** The survey (default ZTF) and, for Rubin's wire format, its schema folder (one sub-folder per version). */
    public Builder survey(Survey survey, Path schemas) {
      this.survey = Objects.requireNonNull(survey, "survey");
      this.schemas = schemas;
      return this;
    }

    /**
     * A Confluent schema registry ({@code https://host:8081}) asked for the wire-format schema ids the schema
     * folder lacks; null: the folder only.
     */
    public Builder schemaRegistry(String url) {
      this.schemaRegistry = url;
      return this;
    }

    /** The survey's Kafka bootstrap servers. */
    public Builder servers(String servers) {
      this.servers = servers;
      return this;
    }

    public Builder topics(String... topics) {
      this.topics = List.of(topics);
      return this;
    }

    /** Where a new checkpoint starts: earliest (default), latest, or epoch milliseconds. */
    public Builder startingOffset(String offset) {
      this.startingOffset = offset;
      return this;
    }

    /** A Kafka consumer setting ({@code security.protocol}, {@code sasl.jaas.config}...). */
    public Builder kafkaOption(String key, String value) {
      kafkaOptions.put(key, value);
      return this;
    }

    public Builder checkpoint(String checkpoint) {
      this.checkpoint = checkpoint;
      return this;
    }

    /** Where bad messages are kept (default: {@code _quarantine} beside the checkpoint). */
    public Builder quarantine(Path quarantine) {
      this.quarantine = quarantine;
      return this;
    }

    /** Seconds between two reads of the topics (0: as soon as the previous batch ends); default 0.5. */
    public Builder triggerSeconds(double seconds) {
      this.triggerSeconds = seconds;
      return this;
    }

    /** Messages per micro-batch at most (0: no limit; default 2000: a large visit reaches the distribution in parts). */
    public Builder maxOffsetsPerTrigger(long max) {
      this.maxOffsetsPerTrigger = max;
      return this;
    }

    public KafkaIngest build() {
      Objects.requireNonNull(spark, "spark");
      Objects.requireNonNull(scienceDb, "scienceDb");
      Objects.requireNonNull(servers, "servers");
      Objects.requireNonNull(checkpoint, "checkpoint");
      if (topics.isEmpty()) {
        throw new IllegalArgumentException("no topic to ingest from");
      }
      if (survey == Survey.RUBIN && schemas == null && schemaRegistry == null) {
        throw new IllegalArgumentException("Rubin messages are in wire format: give the survey's schema folder"
            + " (--schemas DIR, one sub-folder per version) or its schema registry (INGEST_SCHEMA_REGISTRY_URL)");
      }
      if (quarantine == null) {
        quarantine = Path.of(checkpoint).resolveSibling(Path.of(checkpoint).getFileName() + "_quarantine");
      }
      return new KafkaIngest(this);
    }
  }
}
