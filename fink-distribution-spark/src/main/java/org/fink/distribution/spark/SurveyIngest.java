package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.schema.SchemaMerger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests survey alert files (Avro object container files, one or many alerts each) into the science database.
 *
 * <p>Files of different schema versions are read as one table: their writer schemas are merged into one reader schema
 * ({@link SchemaMerger}), so a field that an older version lacks is null. Each alert gets its observation night
 * ({@value ScienceDb#NIGHT}, from {@code candidate.jd}) and its ingestion time.
 *
 * <pre>{@code
 * long n = new SurveyIngest(spark).ingest(Path.of("alerts/"), new ScienceDb(spark, "science_db", "parquet"));
 * }</pre>
 */
public final class SurveyIngest {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyIngest.class);
  /** Julian date of the Unix epoch. */
  private static final double JD_UNIX_EPOCH = 2440587.5;

  /** A survey: how to find an alert's observation time. */
  public enum Survey {
    /** ZTF: {@code candidate.jd}, a Julian date. */
    ZTF {
      @Override
      Column observationUnixDays() {
        return col("candidate.jd").minus(lit(JD_UNIX_EPOCH));
      }
    },
    /** Rubin: {@code diaSource.midpointMjdTai}, a modified Julian date. */
    RUBIN {
      @Override
      Column observationUnixDays() {
        return col("diaSource.midpointMjdTai").minus(lit(MJD_UNIX_EPOCH));
      }
    };

    abstract Column observationUnixDays();
  }

  /** Modified Julian date of the Unix epoch. */
  private static final double MJD_UNIX_EPOCH = 40587.0;

  private final SparkSession spark;
  private final Survey survey;

  public SurveyIngest(SparkSession spark) {
    this(spark, Survey.ZTF);
  }

  public SurveyIngest(SparkSession spark, Survey survey) {
    this.spark = spark;
    this.survey = survey;
  }

  /**
   * Ingests a file, or every {@code *.avro} file below a folder (other files are ignored).
   *
   * @return the number of alerts ingested
   */
  public long ingest(Path alerts, ScienceDb db) {
    List<Path> files = alertFiles(alerts);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.avro alert file in " + alerts);
    }
    AlertFiles scanned = scan(files);
    Schema readerSchema = SchemaMerger.merge(scanned.schemas());
    Dataset<Row> rows = spark.read().format("avro")
        .option("avroSchema", readerSchema.toString())
        .load(files.stream().map(p -> p.toAbsolutePath().toUri().toString()).toArray(String[]::new));
    // keep the survey's field docs (Parquet stores Spark field metadata): distribution schemas carry them
    rows = rows.to(SparkAvroSchema.withDocs(rows.schema(), readerSchema));
    Dataset<Row> withNight = rows
        .withColumn(ScienceDb.NIGHT, date_format(
            date_from_unix_date(floor(survey.observationUnixDays()).cast("int")), "yyyy-MM-dd"))
        .withColumn(ScienceDb.INGEST_TIME, current_timestamp());
    db.append(withNight);
    long count = scanned.alerts();
    LOG.info("ingested {} alerts from {} files into {}", count, files.size(), db.path());
    return count;
  }

  /** The alert files: {@code path} itself, or every {@code *.avro} file below it, sorted. */
  static List<Path> alertFiles(Path path) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException("alert path " + path + " does not exist");
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".avro"))
          .sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  /** What a scan of the files found: their distinct writer schemas, and how many alerts they hold. */
  record AlertFiles(List<Schema> schemas, long alerts) {}

  /** Reads each file's header and block counts (no record is decoded). */
  static AlertFiles scan(List<Path> files) {
    Map<Long, Schema> distinct = new LinkedHashMap<>();
    long alerts = 0;
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file);
          DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
        Schema schema = stream.getSchema();
        distinct.putIfAbsent(SchemaNormalization.parsingFingerprint64(schema), schema);
        while (stream.hasNext()) {
          alerts += stream.getBlockCount();
          stream.nextBlock();
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(file + " is not an Avro container file: " + e.getMessage(), e);
      }
    }
    return new AlertFiles(new ArrayList<>(distinct.values()), alerts);
  }
}
