package org.fink.distribution.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.fink.distribution.rules.WatchlistFormat;
import org.fink.distribution.rules.WatchlistRows;

/**
 * Reads watchlist catalogs from a Parquet file (one file, as pandas or pyarrow write it: {@code df.to_parquet(f)}):
 * the columns {@code name} (string), {@code ra}, {@code dec} (degrees) and optionally {@code radius} (arcsec; null
 * for the watchlist's), any numeric type; other columns are ignored. Found by core through
 * {@link java.util.ServiceLoader} ({@code META-INF/services}), so {@code rules check} and the Avro evaluator read
 * Parquet catalogs too when this module is on the class path. Reads with parquet-mr alone, no Spark session.
 *
 * <pre>{@code
 * WatchlistCatalog.read(Path.of("conf/watchlist.parquet"));   // through this class
 * }</pre>
 */
public final class ParquetWatchlists implements WatchlistFormat {
  @Override
  public boolean reads(Path file) {
    return file.getFileName() != null
        && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  @Override
  public void read(Path file, WatchlistRows rows) throws IOException {
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(file), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      Type name = column(schema, "name");
      Type ra = column(schema, "ra");
      Type dec = column(schema, "dec");
      Type radius = column(schema, "radius") != null ? column(schema, "radius") : column(schema, "radius_arcsec");
      List<String> missing = new ArrayList<>();
      if (name == null) {
        missing.add("name");
      }
      if (ra == null) {
        missing.add("ra");
      }
      if (dec == null) {
        missing.add("dec");
      }
      if (!missing.isEmpty()) {
        rows.problem(0, null, "has no column " + String.join(", ", missing) + "; a Parquet catalog needs the"
            + " columns name (string), ra, dec (degrees) and optionally radius (arcsec)");
        return;
      }
      boolean typed = string(name, rows) & number(ra, rows) & number(dec, rows)
          & (radius == null || number(radius, rows));
      if (!typed) {
        return;
      }
      List<Type> wanted = new ArrayList<>(List.of(name, ra, dec));
      if (radius != null) {
        wanted.add(radius);
      }
      MessageType projection = new MessageType(schema.getName(), wanted);
      reader.setRequestedSchema(projection);
      ColumnIOFactory factory = new ColumnIOFactory();
      long row = 0;
      PageReadStore pages;
      while (!rows.full() && (pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = factory.getColumnIO(projection)
            .getRecordReader(pages, new GroupRecordConverter(projection));
        for (long i = 0; i < pages.getRowCount() && !rows.full(); i++) {
          Group group = records.read();
          row++;
          String n = group.getFieldRepetitionCount(0) == 0 ? null : group.getString(0, 0);
          double r = value(group, 1, row, "ra", rows, false);
          double d = value(group, 2, row, "dec", rows, false);
          double own = radius == null ? Double.NaN : value(group, 3, row, "radius", rows, true);
          rows.add(row, n, r, d, own);
        }
      }
    }
  }

  /** The top-level column named {@code name} (any case), or null. */
  private static Type column(MessageType schema, String name) {
    for (Type field : schema.getFields()) {
      if (field.getName().equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }

  private static boolean string(Type column, WatchlistRows rows) {
    if (column.isPrimitive()
        && column.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY) {
      return true;
    }
    rows.problem(0, column.getName(), "is not a string column; store the names as strings");
    return false;
  }

  private static boolean number(Type column, WatchlistRows rows) {
    if (column.isPrimitive() && column.getLogicalTypeAnnotation() == null) {
      switch (column.asPrimitiveType().getPrimitiveTypeName()) {
        case DOUBLE, FLOAT, INT32, INT64:
          return true;
        default:
          break;
      }
    }
    rows.problem(0, column.getName(), "is not a number column (double, float, int or long); store degrees (and"
        + " arcseconds for radius) as numbers");
    return false;
  }

  /**
   * The number in field {@code i}; NaN, reported, when it is null or not finite (a null or NaN radius: NaN, the
   * watchlist's radius).
   */
  private static double value(Group group, int i, long row, String column, WatchlistRows rows, boolean nullable) {
    if (group.getFieldRepetitionCount(i) == 0) {
      if (!nullable) {
        rows.problem(row, column, "is null; give a number in degrees");
      }
      return Double.NaN;
    }
    Type type = group.getType().getType(i);
    double value = switch (type.asPrimitiveType().getPrimitiveTypeName()) {
      case DOUBLE -> group.getDouble(i, 0);
      case FLOAT -> group.getFloat(i, 0);
      case INT32 -> group.getInteger(i, 0);
      case INT64 -> group.getLong(i, 0);
      default -> Double.NaN;
    };
    if (Double.isNaN(value) && nullable) {
      return Double.NaN;  // pandas writes a missing float as NaN
    }
    if (!Double.isFinite(value)) {
      rows.problem(row, column, "is " + value + ", not a finite number; give a number such as 12.5");
      return Double.NaN;
    }
    return value;
  }
}
