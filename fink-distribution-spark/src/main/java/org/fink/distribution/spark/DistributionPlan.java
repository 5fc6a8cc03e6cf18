package org.fink.distribution.spark;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.config.StartingOffset;
import org.fink.distribution.kafka.PublishCheck;
import org.fink.distribution.rules.SchemaPaths;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.schema.DistributionSchema;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.distribution.schema.Survey;

/**
 * What a distribution will do, worked out from its options and the science database's schema without starting a
 * query or contacting Kafka: the settings are checked against the database (rules, key field, delivery, starting
 * offset), and each stream gets its topic and Avro schema. {@link #preflight()} then checks the outside world.
 *
 * <pre>{@code
 * DistributionPlan plan = distribution.plan();          // fails here on a rule or setting the database cannot serve
 * plan.schemas().forEach((stream, schema) -> System.out.println(stream.name() + " -> " + plan.topicOf(stream)));
 * plan.topics();                                        // [fink_outstream, fink_bright]
 * plan.preflight();                                     // topics writable, checkpoint writable: or a clear error
 * }</pre>
 */
public final class DistributionPlan {
  private final SparkSession spark;
  private final DistributionOptions options;
  private final StructType dbSchema;
  private final Map<DistributionStream, Schema> schemas;
  private final String alertIdField;

  private DistributionPlan(SparkSession spark, DistributionOptions options, StructType dbSchema,
      Map<DistributionStream, Schema> schemas, String alertIdField) {
    this.spark = spark;
    this.options = options;
    this.dbSchema = dbSchema;
    this.schemas = schemas;
    this.alertIdField = alertIdField;
  }

  /**
   * Checks the options against the science database and derives each stream's schema.
   *
   * @throws DistributionException when a setting does not fit the science database (the message names it)
   * @throws org.fink.distribution.rules.RuleException when a rule names a field the database does not have
   */
  public static DistributionPlan of(SparkSession spark, DistributionOptions options) {
    boolean parquet = "parquet".equalsIgnoreCase(options.scienceDb().format());
    if (options.exactlyOnce() && !parquet) {
      throw new DistributionException("DISTRIBUTION_DELIVERY=exactly-once needs a Parquet science database (its commit"
          + " markers name rows by their index in the file); SCIENCE_DB_FORMAT is " + options.scienceDb().format()
          + ": use at-least-once");
    }
    StructType dbSchema = options.scienceDb().schema();
    Schema dbAvro = ScienceDb.avroSchema(dbSchema);
    RuleValidator.validate(options.rules(), dbAvro);
    if (SchemaPaths.find(dbAvro, FieldPath.of(options.keyField())).isEmpty()) {
      throw new DistributionException("the message key field " + options.keyField() + " (DISTRIBUTION_KEY) is not in"
          + " the science database; set DISTRIBUTION_KEY to the field that names the object (ZTF: objectId, Rubin:"
          + " diaSource.diaObjectId)");
    }
    StartingOffset offset = options.startingOffset();
    if (offset.kind() != StartingOffset.Kind.EARLIEST && dbSchema.getFieldIndex(ScienceDb.INGEST_TIME).isEmpty()) {
      throw new DistributionException("DISTRIBUTION_OFFSET=" + offset.kind().name().toLowerCase()
          + " needs the science database column " + ScienceDb.INGEST_TIME + "; use earliest for this database");
    }
    Map<DistributionStream, Schema> schemas = new LinkedHashMap<>();
    for (DistributionStream stream : options.rules().streams()) {
      schemas.put(stream, DistributionSchema.derive(dbAvro, stream));
    }
    String alertId = Survey.ALERT_ID_FIELDS.stream()
        .filter(f -> SchemaPaths.find(dbAvro, FieldPath.of(f)).isPresent()).findFirst().orElse(null);
    return new DistributionPlan(spark, options, dbSchema, Collections.unmodifiableMap(schemas), alertId);
  }

  /** The options this plan was made from. */
  public DistributionOptions options() {
    return options;
  }

  /** The science database's schema the plan was made for. */
  public StructType scienceDbSchema() {
    return dbSchema;
  }

  /** Each stream's Avro schema, in the order of the rules (unmodifiable). */
  public Map<DistributionStream, Schema> schemas() {
    return schemas;
  }

  /** The topic a stream is published to. */
  public String topicOf(DistributionStream stream) {
    return options.topicOf(stream);
  }

  /** The topics published to, each once, in the order of the streams. */
  public List<String> topics() {
    return schemas.keySet().stream().map(this::topicOf).distinct().toList();
  }

  /** Where a topic's schema is written, if anywhere ({@code DISTRIBUTION_SCHEMA} and files beside it). */
  public Optional<Path> schemaFile(String topic) {
    return Optional.ofNullable(options.schemaFile())
        .map(file -> SchemaFiles.forTopic(file, options.defaultTopic(), topic));
  }

  /**
   * The science-database field sent as each message's alert id ({@link Survey#ALERT_ID_FIELDS}, first found), if
   * the database has one.
   */
  public Optional<String> alertIdField() {
    return Optional.ofNullable(alertIdField);
  }

  /**
   * Checks what the plan needs outside: every topic exists and this user may write to it, and the checkpoint folder
   * is writable. Nothing is published.
   *
   * @return the largest message each topic takes (the producer's own limit included)
   * @throws DistributionException or a Kafka setup error naming the topic, the user or the folder, and the fix
   */
  public Map<String, Integer> preflight() {
    Map<String, Integer> topicMaxBytes = PublishCheck.check(options.servers(), options.clientProperties(), topics());
    CheckpointFolder.checkWritable(spark, options.checkpoint());
    CheckpointFiles.checkReadable(spark, options.checkpoint());
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (String topic : topics()) {
      limits.put(topic, Math.min(options.producerMaxBytes(), topicMaxBytes.getOrDefault(topic, Integer.MAX_VALUE)));
    }
    return Collections.unmodifiableMap(limits);
  }

  /** The session the plan runs on. */
  SparkSession spark() {
    return spark;
  }
}
