package org.fink.distribution.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;

/**
 * The science database: one row per alert, the survey's fields nested as in its Avro schema, plus Fink's columns
 * {@value #NIGHT} (partition, UTC date of the observation) and {@value #INGEST_TIME} (when the alert was stored).
 *
 * <pre>{@code
 * ScienceDb db = new ScienceDb(spark, "/data/science_db", "parquet");   // or ScienceDb.of(spark, finkConfig)
 * Dataset<Row> all = db.read();                                         // a batch of every alert
 * Dataset<Row> newAlerts = db.readStream();                             // what lands, as a stream
 * RuleValidator.validate(rules, ScienceDb.avroSchema(db.schema()));     // rules checked against its fields
 * }</pre>
 */
public final class ScienceDb {
  /** Partition column: the UTC date of the observation (a date; folders {@code night=yyyy-MM-dd}). */
  public static final String NIGHT = "night";
  /** When the alert was written to the science database (timestamp). */
  public static final String INGEST_TIME = "fink_ingest_time";

  /**
   * The largest Parquet row group that {@link #append} writes: 8 MiB, about two hundred alerts. A reader holds a whole
   * row group in memory for as long as it takes to send its alerts; at Parquet's default of 128 MiB, each of a
   * distribution's tasks held one to three thousand alerts, which the JVM then copied from young to old generation
   * and compacted. 16 MiB cut the distribution's CPU on 2 cores by a fifth; 8 MiB (without compression) by another
   * tenth, and its peak RSS by ~90 MB; 4 MiB saved no more CPU and took longer (bench/README.md, Tuning).
   */
  public static final long ROW_GROUP_BYTES = 8L << 20;
  private static final String PARQUET_ROW_GROUP_SIZE = "parquet.block.size";
  /**
   * After how many rows Parquet first measures its pages and its row group (Parquet's default: 100), so that a row
   * group ends near its size.
   */
  private static final String PARQUET_ROW_GROUP_CHECK = "parquet.page.size.row.check.min";
  private static final int ROW_GROUP_CHECK_ROWS = 10;
  /**
   * The session setting of Parquet's compression. {@link #append} writes without compression unless the session sets
   * it: an alert's bulk is its cutouts, already gzip-compressed FITS, and Snappy saved 2% of the space of 388 real
   * ZTF alerts while decompressing cost the distribution a tenth of its CPU (the decompressor's copies of every page)
   * and the ingest as much to compress.
   */
  static final String PARQUET_COMPRESSION = "spark.sql.parquet.compression.codec";
  /** Parquet's dictionary switch, per column with {@code #column.path} ({@link #binaryColumns}). */
  private static final String PARQUET_DICTIONARY = "parquet.enable.dictionary";

  private final SparkSession spark;
  private final String path;
  private final String format;

  public ScienceDb(SparkSession spark, String path, String format) {
    this.spark = spark;
    this.path = path;
    this.format = format;
  }

  /** The science database of a configuration ({@code SCIENCE_DB_PATH}, {@code SCIENCE_DB_FORMAT}). */
  public static ScienceDb of(SparkSession spark, FinkConfig config) {
    return new ScienceDb(spark, config.get(ConfigKey.SCIENCE_DB_PATH), config.get(ConfigKey.SCIENCE_DB_FORMAT));
  }

  /** The storage format (parquet, orc, avro, delta). */
  public String format() {
    return format;
  }

  public String path() {
    return path;
  }

  /** True when the database holds at least one file. */
  public boolean exists() {
    try {
      Path root = new Path(path);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.exists(root) && fs.listStatus(root, p -> !p.getName().startsWith("_") && !p.getName().startsWith("."))
          .length > 0;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot list the science database at " + path + ": " + e.getMessage(), e);
    }
  }

  /** The table's schema, read from its files (a streaming source needs it given explicitly). */
  public StructType schema() {
    if (!exists()) {
      throw new ScienceDbMissingException(path);
    }
    // files written at different times may hold different columns (survey schema versions): merge them all
    try {
      return spark.read().format(format).option("mergeSchema", "true").load(path).schema();
    } catch (Exception e) { // SparkException is checked for Java but undeclared
      if ("parquet".equalsIgnoreCase(format)) {
        java.util.Optional<String> conflict = ParquetTypeConflicts.find(spark.sparkContext().hadoopConfiguration(),
            path);
        if (conflict.isPresent()) {
          throw new IllegalStateException("the science database at " + path + " changed a field's type: "
              + conflict.get() + "; one stream schema cannot hold both: rewrite that file with the database's types"
              + " or move it out of the database", e);
        }
      }
      throw new IllegalStateException("cannot read the schema of the science database at " + path + ": "
          + e.getMessage(), e);
    }
  }

  /** The table's schema as Avro, the input of rule validation and distribution schema derivation. */
  public static Schema avroSchema(StructType schema) {
    return SparkAvroSchema.toAvro(schema);
  }

  /** Every record, as a batch. */
  public Dataset<Row> read() {
    return read(schema());
  }

  /** Every record, as a batch, with the schema the caller already read (merging it reads every file footer). */
  public Dataset<Row> read(StructType schema) {
    return spark.read().format(format).schema(schema).load(path);
  }

  /** New records as they land: each new file is read once. */
  public Dataset<Row> readStream() {
    return readStream(0);
  }

  /** New records as they land, at most {@code maxFilesPerTrigger} files per micro-batch (0: no limit). */
  public Dataset<Row> readStream(int maxFilesPerTrigger) {
    return readStream(schema(), maxFilesPerTrigger);
  }

  /** New records as they land, with the schema the caller already read. */
  public Dataset<Row> readStream(StructType schema, int maxFilesPerTrigger) {
    var reader = spark.readStream().format(format).schema(schema);
    if (maxFilesPerTrigger > 0) {
      reader = reader.option("maxFilesPerTrigger", maxFilesPerTrigger);
    }
    return reader.load(path);
  }

  /**
   * Appends alerts (which must hold the {@link #NIGHT} column) to the table, partitioned by night. Parquet files get
   * row groups of {@value #ROW_GROUP_BYTES} bytes at most, unless the Hadoop configuration sets
   * {@code parquet.block.size}, no compression, unless the session sets {@value #PARQUET_COMPRESSION}, and no
   * dictionary for the binary columns (cutouts).
   */
  public void append(Dataset<Row> alerts) {
    DataFrameWriter<Row> writer = alerts.write().format(format).mode("append").partitionBy(NIGHT);
    if ("parquet".equalsIgnoreCase(format)) {
      org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      if (hadoop.get(PARQUET_ROW_GROUP_SIZE) == null) {
        writer = writer.option(PARQUET_ROW_GROUP_SIZE, ROW_GROUP_BYTES);
      }
      if (hadoop.get(PARQUET_ROW_GROUP_CHECK) == null) {
        // Parquet first measures a row group after 100 rows: 13 MB of 130-KB Rubin alerts, past the size asked for
        writer = writer.option(PARQUET_ROW_GROUP_CHECK, ROW_GROUP_CHECK_ROWS);
      }
      if (!spark.conf().contains(PARQUET_COMPRESSION)) {
        writer = writer.option("compression", "uncompressed");
      }
      for (String column : binaryColumns(alerts.schema(), "")) {
        writer = writer.option(PARQUET_DICTIONARY + "#" + column, "false");
      }
    }
    writer.save(path);
  }

  /**
   * The binary columns (the cutouts), top level or in nested records, as Parquet column paths: each value is unique,
   * so a dictionary never pays, and Parquet would hash every cutout before giving up on it for the row group.
   */
  static List<String> binaryColumns(StructType struct, String prefix) {
    List<String> columns = new ArrayList<>();
    for (StructField field : struct.fields()) {
      if (field.dataType() instanceof BinaryType) {
        columns.add(prefix + field.name());
      } else if (field.dataType() instanceof StructType nested) {
        columns.addAll(binaryColumns(nested, prefix + field.name() + "."));
      }
    }
    return columns;
  }
}
