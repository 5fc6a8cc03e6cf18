package org.fink.distribution.spark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of a Parquet science database read from its files' footers, without a Spark session: what
 * {@link ScienceDb#schema()} says (all files' schemas merged, partition columns such as {@value ScienceDb#NIGHT}
 * last), in a fraction of a second, for commands that only need the fields ({@code fink rules check}).
 *
 * <pre>{@code
 * Optional<StructType> schema = ScienceDbFooters.schema(new Configuration(), "/data/science_db");
 * schema.map(ScienceDb::avroSchema).ifPresent(s -> RuleValidator.problems(rules, s));
 * }</pre>
 *
 * <p>Empty when the footers do not tell (a file not written by Spark, another format, a file that cannot be read):
 * the caller then asks Spark.
 */
public final class ScienceDbFooters {
  /** The key under which Spark stores a Parquet file's schema (the StructType as JSON). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");

  private ScienceDbFooters() {}

  /** True when the database holds at least one file, as {@link ScienceDb#exists()} says, without Spark. */
  public static boolean exists(Configuration conf, String root) {
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(conf);
      return fs.exists(rootPath) && fs.listStatus(rootPath,
          p -> !p.getName().startsWith("_") && !p.getName().startsWith(".")).length > 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the science database at " + root + ": " + e.getMessage(), e);
    }
  }

  /** The merged schema of the data files under {@code root}, or empty when the footers cannot tell it. */
  public static Optional<StructType> schema(Configuration conf, String root) {
    Path rootPath = new Path(root);
    try {
      FileSystem fs = rootPath.getFileSystem(conf);
      if (!fs.exists(rootPath)) {
        return Optional.empty();
      }
      StructType merged = null;
      Map<String, DataType> partitions = new LinkedHashMap<>();
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(rootPath, true);
      while (files.hasNext()) {
        LocatedFileStatus status = files.next();
        if (!isDataFile(rootPath, status.getPath())) {
          continue;
        }
        String json;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(status, conf))) {
          json = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SPARK_SCHEMA_KEY);
        }
        if (json == null) {
          return Optional.empty();
        }
        StructType schema = (StructType) DataType.fromJson(json);
        merged = merged == null ? schema : merged.merge(schema, true);
        partitions(rootPath, status.getPath(), partitions);
      }
      if (merged == null) {
        return Optional.empty();
      }
      for (Map.Entry<String, DataType> partition : partitions.entrySet()) {
        if (merged.getFieldIndex(partition.getKey()).isEmpty()) {
          merged = merged.add(partition.getKey(), partition.getValue(), true);
        }
      }
      return Optional.of(merged.asNullable());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();  // Spark reads it, and names what is wrong
    }
  }

  /** The partition columns of a file's folders ({@code night=2024-03-01}), typed as Spark infers them. */
  private static void partitions(Path root, Path file, Map<String, DataType> out) {
    for (Path p = file.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      int eq = name.indexOf('=');
      if (eq > 0) {
        String value = name.substring(eq + 1);
        DataType type = DATE.matcher(value).matches() ? DataTypes.DateType
            : WHOLE.matcher(value).matches() ? DataTypes.IntegerType : DataTypes.StringType;
        out.merge(name.substring(0, eq), type, (a, b) -> a.equals(b) ? a : DataTypes.StringType);
      }
    }
  }

  private static boolean isDataFile(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return false;
      }
    }
    return file.getName().endsWith(".parquet");
  }
}
