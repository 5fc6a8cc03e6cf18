package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.avro.functions;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.SchemaMerger;
import org.fink.distribution.schema.Survey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests survey alert files into the science database: Avro object container files (one or many alerts each) and
 * Confluent wire-format messages (Rubin's Kafka stream), of any mix of schema versions.
 *
 * <p>The files' writer schemas are merged into one reader schema, so a field an older version
 * lacks is null. Each alert gets its observation night ({@value ScienceDb#NIGHT}) and its ingestion time; field docs
 * of the survey schema are kept. Ingesting is idempotent: an alert whose id is already in the science database, or
 * twice in the input, is stored once.
 *
 * <pre>{@code
 * SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "ingest");
 * ScienceDb db = new ScienceDb(spark, "/data/science_db", "parquet");
 * SurveyIngest.Report r = new SurveyIngest(spark).ingestReport(Path.of("alerts/"), db);   // ZTF container files
 * System.out.println(r.alertsStored() + " new alerts of " + r.alertsRead());
 * // Rubin: wire-format messages, decoded with the schema versions of a folder (one sub-folder per version)
 * new SurveyIngest(spark, Survey.RUBIN, new SchemaFolder(Path.of("lsst/schema"))).ingest(path, db);
 * }</pre>
 */
public final class SurveyIngest {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyIngest.class);

  /** What an ingest did. */
  public record Report(int files, long alertsRead, long alertsStored) {}

  private final SparkSession spark;
  private final Survey survey;
  private final SchemaFolder wireSchemas;

  public SurveyIngest(SparkSession spark) {
    this(spark, Survey.ZTF, null);
  }

  /**
   * @param wireSchemas the survey's schema versions, to decode wire-format messages (null: container files only)
   */
  public SurveyIngest(SparkSession spark, Survey survey, SchemaFolder wireSchemas) {
    this.spark = spark;
    this.survey = survey;
    this.wireSchemas = wireSchemas;
  }

  /**
   * Ingests a file, or every {@code *.avro} and {@code *.bin} file below a folder (other files are ignored).
   *
   * @return the number of alerts read from the files
   */
  public long ingest(Path alerts, ScienceDb db) {
    return ingestReport(alerts, db).alertsRead();
  }

  /** Ingests like {@link #ingest}, and says how many alerts were new. */
  public Report ingestReport(Path alerts, ScienceDb db) {
    List<AlertFile> files = alertFiles(alerts).stream().map(AlertFile::inspect).toList();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no alert file (*.avro, *.bin) in " + alerts);
    }
    Map<Integer, Schema> wire = wireSchemaVersions(files);
    List<Schema> writers = new ArrayList<>(distinct(files.stream()
        .filter(f -> f.kind() == AlertFile.Kind.CONTAINER).map(AlertFile::containerSchema).toList()));
    writers.addAll(wire.values());
    Schema reader = SchemaMerger.merge(writers);

    Dataset<Row> rows = null;
    List<String> containers = uris(files, AlertFile.Kind.CONTAINER);
    if (!containers.isEmpty()) {
      rows = spark.read().format("avro").option("avroSchema", reader.toString())
          .load(containers.toArray(String[]::new));
    }
    for (Map.Entry<Integer, Schema> version : wire.entrySet()) {
      Dataset<Row> decoded = wireRows(files, version.getKey(), version.getValue(), reader);
      rows = rows == null ? decoded : rows.unionByName(decoded);
    }
    // keep the survey's field docs (Parquet stores Spark field metadata): distribution schemas carry them
    rows = rows.to(SparkAvroSchema.withDocs(rows.schema(), reader));
    Column id = RuleColumns.field(org.fink.distribution.rules.FieldPath.of(survey.alertIdField()));
    Dataset<Row> fresh = rows.withColumn("_fink_alert_id", id).dropDuplicates("_fink_alert_id");
    Dataset<Row> existing = db.exists() ? db.read() : null;
    if (existing != null) {
      Dataset<Row> stored = existing.select(id.as("_fink_alert_id"));
      fresh = fresh.join(stored, fresh.col("_fink_alert_id").equalTo(stored.col("_fink_alert_id")), "left_anti");
    }
    Dataset<Row> withNight = fresh.drop("_fink_alert_id")
        .withColumn(ScienceDb.NIGHT, date_from_unix_date(floor(observationUnixDays()).cast("int")))
        .withColumn(ScienceDb.INGEST_TIME, current_timestamp());
    long before = existing == null ? 0 : existing.count();
    db.append(withNight);
    long stored = db.read().count() - before;
    long read = files.stream().mapToLong(AlertFile::alerts).sum();
    LOG.info("ingested {} alerts from {} files into {} ({} new)", read, files.size(), db.path(), stored);
    return new Report(files.size(), read, stored);
  }

  /** The observation time in days since the Unix epoch. */
  private Column observationUnixDays() {
    return col(survey.observationTimeField()).minus(lit(survey.unixEpoch()));
  }

  /** Decodes the wire-format files of one schema id: the record after the 5-byte prefix, read into the merged schema. */
  private Dataset<Row> wireRows(List<AlertFile> files, int schemaId, Schema writer, Schema reader) {
    List<String> paths = files.stream().filter(f -> f.kind() == AlertFile.Kind.WIRE && f.schemaId() == schemaId)
        .map(f -> f.path().toAbsolutePath().toUri().toString()).toList();
    Column body = substring(col("content"), 6, Integer.MAX_VALUE);
    return spark.read().format("binaryFile").load(paths.toArray(String[]::new))
        .select(functions.from_avro(body, writer.toString(), Map.of("avroSchema", reader.toString())).as("alert"))
        .select("alert.*");
  }

  private Map<Integer, Schema> wireSchemaVersions(List<AlertFile> files) {
    Map<Integer, Schema> versions = new TreeMap<>();
    for (AlertFile file : files) {
      if (file.kind() == AlertFile.Kind.WIRE && !versions.containsKey(file.schemaId())) {
        if (wireSchemas == null) {
          throw new IllegalArgumentException(file.path() + " is a wire-format message (schema id "
              + file.schemaId() + "): give the survey's schema folder (--schemas DIR) to decode it");
        }
        versions.put(file.schemaId(), wireSchemas.forSchemaId(file.schemaId()));
      }
    }
    return versions;
  }

  private static List<String> uris(List<AlertFile> files, AlertFile.Kind kind) {
    return files.stream().filter(f -> f.kind() == kind).map(f -> f.path().toAbsolutePath().toUri().toString())
        .toList();
  }

  private static List<Schema> distinct(List<Schema> schemas) {
    Map<Long, Schema> distinct = new LinkedHashMap<>();
    schemas.forEach(s -> distinct.putIfAbsent(SchemaNormalization.parsingFingerprint64(s), s));
    return new ArrayList<>(distinct.values());
  }

  /** The alert files: {@code path} itself, or every {@code *.avro} and {@code *.bin} file below it, sorted. */
  static List<Path> alertFiles(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException("alert path " + path + " does not exist");
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".avro") || p.getFileName().toString().endsWith(".bin"))
          .sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }
}
