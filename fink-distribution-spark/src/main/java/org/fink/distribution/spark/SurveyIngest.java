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
 * twice in the input, is stored once; one ingest at a time runs on a science database (a lock file, {@code _fink_ingest.lock}). Every file
 * is checked before Spark reads it: a file that is not a whole alert of the survey stops
 * the ingest, or is set aside ({@link BadAlertFiles}).
 *
 * <pre>{@code
 * SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "ingest");
 * ScienceDb db = new ScienceDb(spark, "/data/science_db", "parquet");
 * SurveyIngest.Report r = new SurveyIngest(spark).ingestReport(Path.of("alerts/"), db);   // ZTF container files
 * System.out.println(r.alertsStored() + " new alerts of " + r.alertsRead());
 * // bad files (truncated, corrupt, foreign schema) moved aside instead of stopping the ingest (IngestException)
 * new SurveyIngest(spark).withBadFiles(BadAlertFiles.quarantineIn(Path.of("quarantine"))).ingestReport(path, db);
 * // Rubin: wire-format messages, decoded with the schema versions of a folder (one sub-folder per version)
 * new SurveyIngest(spark, Survey.RUBIN, new SchemaFolder(Path.of("lsst/schema"))).ingest(path, db);
 * }</pre>
 */
public final class SurveyIngest {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyIngest.class);

  /**
   * What an ingest did.
   *
   * @param files the alert files ingested (bad files set aside not counted)
   * @param setAside the bad files moved to the quarantine folder ({@link BadAlertFiles#quarantineIn})
   */
  public record Report(int files, long alertsRead, long alertsStored, List<BadAlertFile> setAside) {
    public Report {
      setAside = List.copyOf(setAside);
    }
  }

  /** How many bad files a refusal names one by one. */
  private static final int NAMED_BAD_FILES = 5;

  private final SparkSession spark;
  private final Survey survey;
  private final SchemaFolder wireSchemas;
  private final BadAlertFiles badFiles;

  public SurveyIngest(SparkSession spark) {
    this(spark, Survey.ZTF, null);
  }

  /**
   * @param wireSchemas the survey's schema versions, to decode wire-format messages (null: container files only)
   */
  public SurveyIngest(SparkSession spark, Survey survey, SchemaFolder wireSchemas) {
    this(spark, survey, wireSchemas, BadAlertFiles.STOP);
  }

  private SurveyIngest(SparkSession spark, Survey survey, SchemaFolder wireSchemas, BadAlertFiles badFiles) {
    this.spark = spark;
    this.survey = survey;
    this.wireSchemas = wireSchemas;
    this.badFiles = badFiles;
  }

  /** This ingest, with another choice for bad alert files (default {@link BadAlertFiles#STOP}). */
  public SurveyIngest withBadFiles(BadAlertFiles choice) {
    return new SurveyIngest(spark, survey, wireSchemas, choice);
  }

  /**
   * Ingests a file, or every {@code *.avro} and {@code *.bin} file below a folder (other files are ignored).
   *
   * @return the number of alerts read from the files
   */
  public long ingest(Path alerts, ScienceDb db) {
    return ingestReport(alerts, db).alertsRead();
  }

  /**
   * Ingests like {@link #ingest}, and says how many alerts were new. Every file is read and checked first (an alert of
   * the survey, whole, every record decoding); bad files stop the ingest before anything is stored, or are set aside
   * ({@link #withBadFiles}). One ingest runs at a time per science database (a lock file, {@code _fink_ingest.lock}).
   *
   * @throws IngestException when bad files stop it, another ingest is running, or Spark cannot read the files;
   *     nothing is stored then
   */
  public Report ingestReport(Path alerts, ScienceDb db) {
    List<Path> paths = alertFiles(alerts);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no alert file (*.avro, *.bin) in " + alerts);
    }
    if (badFiles.quarantines()) {
      checkQuarantineOutside(alerts);
    }
    try (IngestLock lock = IngestLock.acquire(db)) {
      List<AlertFile> files = new ArrayList<>();
      List<BadAlertFile> bad = new ArrayList<>();
      for (Path path : paths) {
        try {
          files.add(AlertFile.inspect(path, survey, wireSchemas));
        } catch (AlertFile.Bad e) {
          bad.add(new BadAlertFile(path, e.getMessage(), null));
        }
      }
      List<BadAlertFile> setAside = setAside(bad, alerts, db);
      if (files.isEmpty()) {
        LOG.warn("no alert file of {} could be ingested: {} set aside in {}", alerts, setAside.size(),
            badFiles.quarantine());
        return new Report(0, 0, 0, setAside);
      }
      Report report = store(files, db, setAside);
      LOG.info("ingested {} alerts from {} files into {} ({} new{})", report.alertsRead(), files.size(), db.path(),
          report.alertsStored(), setAside.isEmpty() ? ""
              : "; " + setAside.size() + " bad files set aside in " + badFiles.quarantine());
      return report;
    }
  }

  /** Stops on bad files, or moves them to the quarantine folder. */
  private List<BadAlertFile> setAside(List<BadAlertFile> bad, Path alerts, ScienceDb db) {
    if (bad.isEmpty()) {
      return List.of();
    }
    if (!badFiles.quarantines()) {
      StringBuilder text = new StringBuilder();
      bad.stream().limit(NAMED_BAD_FILES).forEach(f -> text.append(text.length() == 0 ? "" : "; ").append(f));
      if (bad.size() > NAMED_BAD_FILES) {
        text.append("; and ").append(bad.size() - NAMED_BAD_FILES).append(" more");
      }
      throw new IngestException(bad.size() + " of the alert files in " + alerts + " cannot be ingested as "
          + AlertFile.surveyName(survey) + " alerts, so nothing was stored in " + db.path() + ": " + text
          + ". Remove or replace them, or set bad files aside in a quarantine folder and ingest the others",
          bad, null);
    }
    List<BadAlertFile> moved = new ArrayList<>();
    for (BadAlertFile file : bad) {
      moved.add(Quarantine.move(file, badFiles.quarantine()));
      LOG.warn("set aside {}: {}", file.file(), file.reason());
    }
    return moved;
  }

  /** The Spark job: reads the checked files, keeps the alerts not stored yet, appends them. */
  private Report store(List<AlertFile> files, ScienceDb db, List<BadAlertFile> setAside) {
    Dataset<Row> withNight;
    long before;
    try {
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
      Dataset<Row> existing = db.exists() ? db.read() : null;
      before = existing == null ? 0 : existing.count();
      withNight = newAlerts(rows, reader, survey, existing, repeatsAnAlert(files));
      db.append(withNight); // one Spark job: a failed job is aborted, its files removed
    } catch (org.fink.distribution.FinkException e) {
      throw e;
    } catch (Exception e) { // Spark's errors, SparkException included (checked, but undeclared)
      throw new IngestException("cannot ingest the alert files into " + db.path() + ", nothing was stored: "
          + DistributionException.sparkMessage(e) + ". Set the file Spark names aside and ingest again", e);
    }
    long stored = db.read().count() - before;
    long read = files.stream().mapToLong(AlertFile::alerts).sum();
    return new Report(files.size(), read, stored, setAside);
  }

  /** True when an alert id occurs twice in the files (the ids their inspection read). */
  static boolean repeatsAnAlert(List<AlertFile> files) {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (AlertFile file : files) {
      for (long id : file.alertIds()) {
        if (!seen.add(id)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The alerts of {@code rows} (decoded into {@code reader}) that are not in {@code stored} nor twice in {@code rows},
   * with the survey's field docs, their night and their ingestion time: what {@link ScienceDb#append} takes.
   *
   * @param stored the science database's rows (at least its alert id column), or null when it is empty
   * @param repeats whether an alert id may occur twice in {@code rows}: only then are they made distinct, which costs
   *     a shuffle and two sorts of the whole alerts (an aggregation that keeps the first row of each id), a fifth
   *     of a file ingest's CPU time (bench/README.md, "Ingest")
   */
  static Dataset<Row> newAlerts(Dataset<Row> rows, Schema reader, Survey survey, Dataset<Row> stored,
      boolean repeats) {
    Column id = RuleColumns.field(org.fink.distribution.rules.FieldPath.of(survey.alertIdField()));
    Dataset<Row> fresh = rows.withColumn("_fink_alert_id", id);
    if (repeats) {
      fresh = fresh.dropDuplicates("_fink_alert_id");
    }
    if (stored != null) {
      Dataset<Row> ids = stored.select(id.as("_fink_alert_id"));
      fresh = fresh.join(ids, fresh.col("_fink_alert_id").equalTo(ids.col("_fink_alert_id")), "left_anti");
    }
    return stamped(fresh.drop("_fink_alert_id"), reader, survey);
  }

  /**
   * Alerts as the science database stores them: the survey's field docs (Parquet stores Spark field metadata:
   * distribution schemas carry them), their night and their ingestion time.
   */
  static Dataset<Row> stamped(Dataset<Row> alerts, Schema reader, Survey survey) {
    Dataset<Row> documented = DocumentedRows.of(alerts, reader);
    Column unixDays = col(survey.observationTimeField()).minus(lit(survey.unixEpoch()));
    return documented
        .withColumn(ScienceDb.NIGHT, date_from_unix_date(floor(unixDays).cast("int")))
        .withColumn(ScienceDb.INGEST_TIME, current_timestamp());
  }

  /** A quarantine folder inside the alert folder would be ingested again next time. */
  private void checkQuarantineOutside(Path alerts) {
    Path quarantine = badFiles.quarantine().toAbsolutePath().normalize();
    Path folder = alerts.toAbsolutePath().normalize();
    if (Files.isDirectory(folder) && quarantine.startsWith(folder)) {
      throw new IllegalArgumentException("the quarantine folder " + badFiles.quarantine() + " is inside the alert"
          + " folder " + alerts + ", whose files are ingested: choose a folder outside it");
    }
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
        versions.put(file.schemaId(), wireSchemas.forSchemaId(file.schemaId()));
      }
    }
    return versions;
  }

  private static List<String> uris(List<AlertFile> files, AlertFile.Kind kind) {
    return files.stream().filter(f -> f.kind() == kind).map(f -> f.path().toAbsolutePath().toUri().toString())
        .toList();
  }

  static List<Schema> distinct(List<Schema> schemas) {
    Map<Long, Schema> distinct = new LinkedHashMap<>();
    schemas.forEach(s -> distinct.putIfAbsent(SchemaNormalization.parsingFingerprint64(s), s));
    return new ArrayList<>(distinct.values());
  }

  /**
   * The alert files: {@code path} itself, or every {@code *.avro} and {@code *.bin} file below it, sorted. Needs no
   * Spark session: commands call it to name a wrong path before Spark starts.
   *
   * @throws IllegalArgumentException when the path does not exist
   */
  public static List<Path> alertFiles(Path path) {
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
