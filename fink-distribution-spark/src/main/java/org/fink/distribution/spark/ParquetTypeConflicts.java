package org.fink.distribution.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Finds which field changed type in which file of a Parquet science database, when Spark cannot merge the schemas of
 * its files (its own message shows two whole schemas, not the field): reads the footer of every data file and
 * compares the types each field path has in them.
 *
 * <pre>{@code
 * ParquetTypeConflicts.find(hadoopConf, "run/science_db").ifPresent(System.out::println);
 * // candidate.magpsf is float in 9 files (e.g. night=2024-03-01/part-0.parquet) but string in 1 file: night=...
 * }</pre>
 */
final class ParquetTypeConflicts {
  /** Files read at most: the diagnosis of a huge database stops there. */
  static final int MAX_FILES = 20_000;

  private ParquetTypeConflicts() {}

  /**
   * The first field whose type differs between files of the database at {@code root}, with its types, the usual one
   * first, and the files of the others; empty if none does (or the files cannot be read: the caller keeps Spark's
   * message).
   */
  static Optional<String> find(Configuration conf, String root) {
    Path rootPath = new Path(root);
    // field path -> type -> files holding it with that type, in listing order
    Map<String, Map<String, TypedFiles>> seen = new LinkedHashMap<>();
    try {
      FileSystem fs = rootPath.getFileSystem(conf);
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(rootPath, true);
      int read = 0;
      while (files.hasNext() && read < MAX_FILES) {
        LocatedFileStatus status = files.next();
        if (!isDataFile(rootPath, status.getPath())) {
          continue;
        }
        read++;
        List<Type> fields;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(status, conf))) {
          fields = reader.getFooter().getFileMetaData().getSchema().getFields();
        } catch (IOException | RuntimeException unreadable) {
          continue; // a corrupt file is reported by Spark itself, naming it
        }
        String relative = relative(rootPath, status.getPath());
        Map<String, String> types = new LinkedHashMap<>();
        flatten("", fields, types);
        long modified = status.getModificationTime();
        types.forEach((field, type) -> seen.computeIfAbsent(field, f -> new LinkedHashMap<>())
            .computeIfAbsent(type, t -> new TypedFiles()).add(relative, modified));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    for (Map.Entry<String, Map<String, TypedFiles>> field : seen.entrySet()) {
      if (field.getValue().size() > 1) {
        return Optional.of(describe(field.getKey(), field.getValue()));
      }
    }
    return Optional.empty();
  }

  /** The files holding a field with one type, and when the newest of them was written. */
  private static final class TypedFiles {
    final List<String> names = new ArrayList<>();
    long newest = Long.MIN_VALUE;

    void add(String name, long modified) {
      names.add(name);
      newest = Math.max(newest, modified);
    }
  }

  /**
   * "candidate.magpsf is float in 9 files (e.g. A) but string in 1 file: B": the usual type first (most files, then
   * the oldest), the changed ones after.
   */
  private static String describe(String field, Map<String, TypedFiles> filesByType) {
    List<Map.Entry<String, TypedFiles>> types = new ArrayList<>(filesByType.entrySet());
    types.sort(Comparator.comparingInt((Map.Entry<String, TypedFiles> e) -> -e.getValue().names.size())
        .thenComparingLong(e -> e.getValue().newest));
    StringBuilder text = new StringBuilder(field).append(" is ");
    for (int i = 0; i < types.size(); i++) {
      List<String> files = types.get(i).getValue().names;
      text.append(i == 0 ? "" : " but ").append(types.get(i).getKey()).append(" in ").append(files.size())
          .append(files.size() == 1 ? " file" : " files");
      if (i == 0) {
        text.append(" (e.g. ").append(files.get(0)).append(")");
      } else {
        text.append(": ").append(String.join(", ", files.subList(0, Math.min(3, files.size()))))
            .append(files.size() > 3 ? ", ..." : "");
      }
    }
    return text.toString();
  }

  private static boolean isDataFile(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return false;
      }
    }
    return !file.getName().endsWith(".crc");
  }

  private static String relative(Path root, Path file) {
    String rootText = root.toUri().getPath();
    String fileText = file.toUri().getPath();
    return fileText.startsWith(rootText + "/") ? fileText.substring(rootText.length() + 1) : fileText;
  }

  /** Field path (lists shown as {@code field[]}) to a type name as Spark users know it. */
  private static void flatten(String prefix, List<Type> fields, Map<String, String> out) {
    for (Type field : fields) {
      String path = prefix.isEmpty() ? field.getName() : prefix + "." + field.getName();
      if (field.isPrimitive()) {
        out.put(path, typeName(field.asPrimitiveType()));
        continue;
      }
      GroupType group = field.asGroupType();
      LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
      if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && group.getFieldCount() == 1
          && !group.getType(0).isPrimitive() && group.getType(0).asGroupType().getFieldCount() == 1) {
        Type element = group.getType(0).asGroupType().getType(0);
        if (element.isPrimitive()) {
          out.put(path + "[]", typeName(element.asPrimitiveType()));
        } else {
          out.put(path, "array");
          flatten(path + "[]", element.asGroupType().getFields(), out);
        }
      } else if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
        out.put(path, "map");
      } else {
        out.put(path, "struct");
        flatten(path, group.getFields(), out);
      }
    }
  }

  private static String typeName(PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation) {
      return "string";
    }
    if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
      return "date";
    }
    if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
      return "timestamp";
    }
    if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
      return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
    }
    return switch (type.getPrimitiveTypeName()) {
      case INT32 -> logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.getBitWidth() < 32
          ? (i.getBitWidth() == 8 ? "byte" : "short") : "int";
      case INT64 -> "long";
      case BINARY, FIXED_LEN_BYTE_ARRAY -> "binary";
      default -> type.getPrimitiveTypeName().name().toLowerCase(Locale.ROOT);
    };
  }
}
