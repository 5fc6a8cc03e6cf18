package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.avro.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.schema.SchemaMerger;
import org.fink.distribution.schema.Survey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch sink of {@link KafkaIngest}: decodes the survey messages ({@link SurveyMessageDecoder}), keeps the
 * bad ones in the quarantine folder, appends the alerts not stored yet to the science database, and counts.
 *
 * <pre>{@code
 * messages.writeStream().foreachBatch(new KafkaIngestBatch(spark, db, Survey.ZTF, decoder, quarantine)).start();
 * }</pre>
 */
final class KafkaIngestBatch implements VoidFunction2<Dataset<Row>, Long> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestBatch.class);

  private final SparkSession spark;
  private final ScienceDb db;
  private final Survey survey;
  private final SurveyMessageDecoder decoder;
  private final Path quarantine;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final AtomicLong quarantined = new AtomicLong();
  /** The id range of each stored Parquet file (created at the first lookup, kept between batches). */
  private transient StoredIdRanges ranges;
  /** The last batch's lookup of stored ids: how long, in ms, and in which files (for the log). */
  private long lookupMillis;
  private String lookupFiles = "the database";

  KafkaIngestBatch(SparkSession spark, ScienceDb db, Survey survey, SurveyMessageDecoder decoder, Path quarantine) {
    this.spark = spark;
    this.db = db;
    this.survey = survey;
    this.decoder = decoder;
    this.quarantine = quarantine;
  }

  KafkaIngest.Progress progress() {
    return new KafkaIngest.Progress(batches.get(), alerts.get(), quarantined.get());
  }

  /**
   * One micro-batch, without a shuffle: the messages are decoded once (cached); one small collect brings their
   * alert ids, writer schemas and errors to the driver; the ids already stored are looked up by value, in Parquet
   * only in the files that may hold them ({@link StoredIdRanges}: usually none, so no Spark job); the rest is
   * decoded into Spark rows and appended.
   */
  @Override
  public void call(Dataset<Row> messages, Long batchId) {
    // decoded from and into Spark's binary rows (SurveyMessageDecoder.internalRows: each row new, nothing to copy)
    // and cached as such, not in the columnar cache of Dataset.persist, whose conversion of each ~45 KB message to
    // column buffers and back was a fifth of the Kafka ingest's CPU time (bench/README.md, "Ingest")
    JavaRDD<InternalRow> rows = messages.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(decoder::internalRows).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> decoded = ((org.apache.spark.sql.classic.SparkSession) messages.sparkSession())
        .internalCreateDataFrame(rows.rdd(), SurveyMessageDecoder.OUTPUT, false);
    try {
      long start = System.nanoTime();
      Map<Long, Schema> writers = new LinkedHashMap<>();
      List<Long> ids = new ArrayList<>();
      long bad = 0;
      for (Row row : decoded.select("fingerprint", "schema", "alertId", "error").collectAsList()) {
        if (!row.isNullAt(3)) {
          bad++;
          continue;
        }
        ids.add(row.getLong(2));
        if (!row.isNullAt(1)) {
          writers.computeIfAbsent(row.getLong(0), k -> new Schema.Parser().parse(row.getString(1)));
        }
      }
      long decodedAt = System.nanoTime();
      if (bad > 0) {
        quarantine(decoded.filter(col("error").isNotNull()));
      }
      lookupMillis = 0;
      lookupFiles = "the database";
      long stored = ids.isEmpty() ? 0 : store(decoded.filter(col("error").isNull()), writers, ids);
      batches.incrementAndGet();
      alerts.addAndGet(ids.size());
      quarantined.addAndGet(bad);
      if (!ids.isEmpty() || bad > 0) {
        long end = System.nanoTime();
        LOG.info("Kafka ingest batch {}: {} alerts, {} new{} in {} ms (read and decode {} ms, lookup of stored ids"
            + " in {} {} ms, store {} ms)", batchId, ids.size(), stored,
            bad == 0 ? "" : ", " + bad + " bad messages quarantined in " + quarantine, (end - start) / 1_000_000,
            (decodedAt - start) / 1_000_000, lookupFiles, lookupMillis,
            (end - decodedAt) / 1_000_000 - lookupMillis);
      }
    } finally {
      rows.unpersist(false);
    }
  }

  /** Appends the alerts not stored yet; returns how many. */
  private long store(Dataset<Row> good, Map<Long, Schema> writers, List<Long> ids) {
    Schema reader = SchemaMerger.merge(new ArrayList<>(writers.values()));
    Dataset<Row> rows = null;
    for (Map.Entry<Long, Schema> writer : writers.entrySet()) {
      Dataset<Row> version = good.filter(col("fingerprint").equalTo(writer.getKey()))
          .select(functions.from_avro(col("body"), writer.getValue().toString(),
              Map.of("avroSchema", reader.toString())).as("alert"))
          .select("alert.*");
      rows = rows == null ? version : rows.unionByName(version);
    }
    Column id = RuleColumns.field(FieldPath.of(survey.alertIdField()));
    Set<Long> distinct = new HashSet<>(ids);
    long lookupStart = System.nanoTime();
    Set<Long> existing = storedAmong(distinct, rows.schema(), id);
    lookupMillis = (System.nanoTime() - lookupStart) / 1_000_000;
    if (existing.size() == distinct.size()) {
      return 0; // all stored already (the survey sent them again, or this batch is run again after a crash)
    }
    if (!existing.isEmpty()) {
      rows = rows.filter(not(id.isin(existing.toArray())));
    }
    if (distinct.size() < ids.size()) { // the survey sent an alert twice in this batch: keep one
      rows = rows.withColumn("_fink_alert_id", id).dropDuplicates("_fink_alert_id").drop("_fink_alert_id");
    }
    db.append(SurveyIngest.stamped(rows, reader, survey));
    distinct.removeAll(existing);
    if (ranges != null) {
      ranges.appended(distinct);
    }
    return distinct.size();
  }

  /**
   * Which of {@code ids} the science database holds: a read of the id column, filtered by value; in Parquet, only
   * the files whose id range (from their footers, {@link StoredIdRanges}) takes in one of the ids, and no read at
   * all when none does (the usual case: a survey's new alerts have ids above those stored).
   */
  private Set<Long> storedAmong(Set<Long> ids, StructType alertSchema, Column id) {
    StructType idOnly = idOnly(alertSchema, survey.alertIdField().split("\\."), 0);
    Dataset<Row> stored;
    if ("parquet".equalsIgnoreCase(db.format())) {
      if (ranges == null) {
        ranges = new StoredIdRanges(spark.sparkContext().hadoopConfiguration(), db.path(), survey.alertIdField());
      }
      List<String> files = ranges.filesThatMayHold(ids);
      lookupFiles = files.size() + " of " + ranges.listed() + " files";
      if (files.isEmpty()) {
        return Set.of();
      }
      stored = spark.read().format(db.format()).option("basePath", db.path())
          .schema(idOnly).load(files.toArray(String[]::new));
    } else if (!db.exists()) {
      return Set.of();
    } else {
      stored = spark.read().format(db.format()).schema(idOnly).load(db.path());
    }
    Set<Long> existing = new HashSet<>();
    for (Row row : stored.filter(id.isin(ids.toArray())).select(id).collectAsList()) {
      if (!row.isNullAt(0)) {
        existing.add(((Number) row.get(0)).longValue());
      }
    }
    return existing;
  }

  /** The schema with only the fields on the alert id's path (the stored files' other columns are not read). */
  private static StructType idOnly(StructType schema, String[] path, int depth) {
    StructField field = schema.apply(path[depth]);
    DataType type = depth == path.length - 1 ? field.dataType()
        : idOnly((StructType) field.dataType(), path, depth + 1);
    return new StructType().add(field.name(), type, true);
  }

  /** Keeps each bad message's bytes and reason in the quarantine folder (few: collected one by one). */
  private void quarantine(Dataset<Row> bad) {
    Iterator<Row> rows = bad.select("topic", "partition", "offset", "timestamp", "body", "error")
        .toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      byte[] value = (byte[]) row.get(4);
      String name = row.getString(0) + "-" + row.getInt(1) + "-" + row.getLong(2)
          + (value.length > 0 && value[0] == 'O' ? ".avro" : ".bin");
      String reason = "topic " + row.getString(0) + " partition " + row.getInt(1) + " offset " + row.getLong(2)
          + " timestamp " + row.get(3) + ": the message " + row.getString(5);
      try {
        Files.createDirectories(quarantine);
        Files.write(quarantine.resolve(name), value); // a batch run again rewrites the same names
        Files.writeString(quarantine.resolve(name + ".reason.txt"), reason + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IngestException("cannot keep the bad message " + name + " in the quarantine folder " + quarantine
            + " (" + e + "); make the folder writable: the ingest stops rather than lose it. It " + reason, e);
      }
      LOG.warn("quarantined {}", reason);
    }
  }
}
