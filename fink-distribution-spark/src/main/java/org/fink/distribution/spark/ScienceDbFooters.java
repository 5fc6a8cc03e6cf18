package org.fink.distribution.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The schema of a Parquet science database read from its files' footers, without Spark: what
 * {@code ScienceDb.avroSchema(db.schema())} says (all files' schemas merged, partition columns such as
 * {@value ScienceDb#NIGHT} last), in a fraction of a second, for commands that only need the fields
 * ({@code fink rules check}).
 *
 * <pre>{@code
 * Optional<Schema> schema = ScienceDbFooters.avroSchema(new Configuration(), "/data/science_db");
 * schema.ifPresent(s -> RuleValidator.problems(rules, s));
 * }</pre>
 *
 * <p>Empty when the footers do not tell (a file not written by Spark, another format, a file that cannot be read):
 * the caller then asks Spark.
 */
public final class ScienceDbFooters {
  /** The key under which Spark stores a Parquet file's schema (the StructType as JSON). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");
  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");

  private ScienceDbFooters() {}

  /** True when the database holds at least one file, as {@link ScienceDb#exists()} says, without Spark. */
  public static boolean exists(Configuration conf, String root) {
    java.net.URI uri = new Path(root).toUri();
    if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(uri.getPath());
      try (Stream<java.nio.file.Path> entries = java.nio.file.Files.isDirectory(local)
          ? java.nio.file.Files.list(local) : Stream.empty()) {
        return entries.map(p -> p.getFileName().toString()).anyMatch(n -> !n.startsWith("_") && !n.startsWith("."));
      } catch (IOException e) {
        throw new IllegalStateException("cannot list the science database at " + root + ": " + e.getMessage(), e);
      }
    }
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(conf);
      return fs.exists(rootPath) && fs.listStatus(rootPath,
          p -> !p.getName().startsWith("_") && !p.getName().startsWith(".")).length > 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the science database at " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * The science database's schema as Avro, exactly as {@code ScienceDb.avroSchema(db.schema())} gives it, read from
   * the Spark schema each footer stores, without Spark or Scala (a second or more saved); empty when the footers
   * cannot tell it.
   */
  public static Optional<Schema> avroSchema(Configuration conf, String root) {
    try {
      Map<String, DataTypeName> partitions = new LinkedHashMap<>();
      Set<String> schemas = new LinkedHashSet<>();  // most files hold the same schema: each text is parsed once
      java.net.URI uri = new Path(root).toUri();
      if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
        if (!localFooters(java.nio.file.Path.of(uri.getPath()), schemas, partitions)) {
          return Optional.empty();
        }
      } else if (!hadoopFooters(conf, new Path(root), schemas, partitions)) {
        return Optional.empty();
      }
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> fields = new ArrayList<>();
      for (String text : schemas) {
        merge(fields, json.readTree(text).get("fields"));
      }
      if (fields.isEmpty()) {
        return Optional.empty();
      }
      for (Map.Entry<String, DataTypeName> partition : partitions.entrySet()) {
        if (fields.stream().noneMatch(f -> f.get("name").asText().equals(partition.getKey()))) {
          fields.add(json.createObjectNode().put("name", partition.getKey()).put("type", partition.getValue().json));
        }
      }
      return Optional.of(record(fields, "alert", "fink.sciencedb"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();  // Spark reads it, and names what is wrong
    }
  }

  /** The type names Spark infers for partition folders. */
  private enum DataTypeName {
    DATE("date"), INTEGER("integer"), STRING("string");

    final String json;

    DataTypeName(String json) {
      this.json = json;
    }
  }

  /** Adds the fields of a struct's JSON to {@code into}: new names appended, records of the same name merged. */
  private static void merge(List<JsonNode> into, JsonNode fields) {
    for (JsonNode field : fields) {
      String name = field.get("name").asText();
      int at = -1;
      for (int i = 0; i < into.size(); i++) {
        if (into.get(i).get("name").asText().equals(name)) {
          at = i;
        }
      }
      if (at < 0) {
        into.add(field);
        continue;
      }
      JsonNode mine = into.get(at).get("type");
      JsonNode theirs = field.get("type");
      if (isStruct(mine) && isStruct(theirs)) {
        List<JsonNode> merged = new ArrayList<>();
        mine.get("fields").forEach(merged::add);
        merge(merged, theirs.get("fields"));
        ObjectNode type = ((ObjectNode) mine.deepCopy());
        type.putArray("fields").addAll(merged);
        into.set(at, ((ObjectNode) into.get(at).deepCopy()).set("type", type));
      } else if (isArrayOfStructs(mine) && isArrayOfStructs(theirs)) {
        List<JsonNode> merged = new ArrayList<>();
        mine.get("elementType").get("fields").forEach(merged::add);
        merge(merged, theirs.get("elementType").get("fields"));
        ObjectNode type = ((ObjectNode) mine.deepCopy());
        ((ObjectNode) type.get("elementType")).putArray("fields").addAll(merged);
        into.set(at, ((ObjectNode) into.get(at).deepCopy()).set("type", type));
      }
    }
  }

  private static boolean isStruct(JsonNode type) {
    return type.isObject() && "struct".equals(type.path("type").asText());
  }

  private static boolean isArrayOfStructs(JsonNode type) {
    return type.isObject() && "array".equals(type.path("type").asText()) && isStruct(type.path("elementType"));
  }

  /** As {@code SparkAvroSchema.toAvro} makes it: every field nullable with default null, records named by path. */
  private static Schema record(Iterable<JsonNode> fields, String name, String namespace) {
    List<Schema.Field> out = new ArrayList<>();
    for (JsonNode field : fields) {
      String fieldName = field.get("name").asText();
      Schema type = type(field.get("type"), fieldName, namespace + "." + name);
      JsonNode doc = field.path("metadata").path(SparkAvroSchema.DOC);
      out.add(new Schema.Field(fieldName, nullable(type), doc.isTextual() ? doc.asText() : null,
          JsonProperties.NULL_VALUE));
    }
    return Schema.createRecord(name, null, namespace, false, out);
  }

  private static Schema type(JsonNode type, String name, String namespace) {
    if (type.isObject()) {
      switch (type.path("type").asText()) {
        case "struct" -> {
          return record(type.get("fields"), name, namespace);
        }
        case "array" -> {
          return Schema.createArray(nullable(type(type.get("elementType"), name + "_item", namespace)));
        }
        case "map" -> {
          if (!"string".equals(type.path("keyType").asText())) {
            throw new IllegalArgumentException("field " + name + ": Avro maps need string keys");
          }
          return Schema.createMap(nullable(type(type.get("valueType"), name + "_value", namespace)));
        }
        default -> throw new IllegalArgumentException("field " + name + ": unknown type " + type);
      }
    }
    String text = type.asText();
    java.util.regex.Matcher decimal = DECIMAL.matcher(text);
    if (decimal.matches()) {
      return LogicalTypes.decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)))
          .addToSchema(Schema.create(Schema.Type.BYTES));
    }
    if (text.startsWith("string")) {  // also "string collate X"
      return Schema.create(Schema.Type.STRING);
    }
    return switch (text) {
      case "boolean" -> Schema.create(Schema.Type.BOOLEAN);
      case "integer", "short", "byte" -> Schema.create(Schema.Type.INT);
      case "long" -> Schema.create(Schema.Type.LONG);
      case "float" -> Schema.create(Schema.Type.FLOAT);
      case "double" -> Schema.create(Schema.Type.DOUBLE);
      case "binary" -> Schema.create(Schema.Type.BYTES);
      case "date" -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
      case "timestamp" -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      case "timestamp_ntz" -> LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      default -> throw new IllegalArgumentException("field " + name + " has Spark type " + text
          + ", which has no Avro form");
    };
  }

  private static Schema nullable(Schema type) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
  }

  /** A local database: listed and read without Hadoop's file system (a second saved). False: a footer lacks it. */
  private static boolean localFooters(java.nio.file.Path root, Set<String> schemas, Map<String, DataTypeName> partitions)
      throws IOException {
    if (!java.nio.file.Files.isDirectory(root)) {
      return false;
    }
    List<java.nio.file.Path> files;
    try (Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(root)) {
      files = walk.filter(java.nio.file.Files::isRegularFile)
          .filter(f -> isDataFile(new Path(root.toUri()), new Path(f.toUri()))).sorted().toList();
    }
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withMetadataFilter(ParquetMetadataConverter.SKIP_ROW_GROUPS).build();
    for (java.nio.file.Path file : files) {
      try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file), options)) {
        String json = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SPARK_SCHEMA_KEY);
        if (json == null) {
          return false;
        }
        schemas.add(json);
      }
      partitions(new Path(root.toUri()), new Path(file.toUri()), partitions);
    }
    return true;
  }

  private static boolean hadoopFooters(Configuration conf, Path rootPath, Set<String> schemas,
      Map<String, DataTypeName> partitions) throws IOException {
    FileSystem fs = rootPath.getFileSystem(conf);
    if (!fs.exists(rootPath)) {
      return false;
    }
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(rootPath, true);
    ParquetReadOptions options = HadoopReadOptions.builder(conf)
        .withMetadataFilter(ParquetMetadataConverter.SKIP_ROW_GROUPS).build();
    while (files.hasNext()) {
      LocatedFileStatus status = files.next();
      if (!isDataFile(rootPath, status.getPath())) {
        continue;
      }
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(status, conf), options)) {
        String json = reader.getFooter().getFileMetaData().getKeyValueMetaData().get(SPARK_SCHEMA_KEY);
        if (json == null) {
          return false;
        }
        schemas.add(json);
      }
      partitions(rootPath, status.getPath(), partitions);
    }
    return true;
  }

  /** The partition columns of a file's folders ({@code night=2024-03-01}), typed as Spark infers them. */
  private static void partitions(Path root, Path file, Map<String, DataTypeName> out) {
    for (Path p = file.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      int eq = name.indexOf('=');
      if (eq > 0) {
        String value = name.substring(eq + 1);
        DataTypeName type = DATE.matcher(value).matches() ? DataTypeName.DATE
            : WHOLE.matcher(value).matches() ? DataTypeName.INTEGER : DataTypeName.STRING;
        out.merge(name.substring(0, eq), type, (a, b) -> a == b ? a : DataTypeName.STRING);
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
