package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.WatchlistCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet watchlist catalogs, read through core's {@code WatchlistCatalog} when this module is on the class path. */
class ParquetWatchlistsTest {
  @TempDir Path dir;

  /** One Parquet file of these rows (Spark writes a folder: its single part file is moved to {@code name}). */
  private Path parquet(String name, StructType schema, List<Row> rows) throws IOException {
    Path folder = dir.resolve(name + ".d");
    TestSpark.session().createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(folder.toString());
    try (Stream<Path> files = Files.list(folder)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      return Files.move(part, dir.resolve(name));
    }
  }

  @Test
  void aParquetCatalogReadsLikeItsCsvTwin() throws IOException {
    StructType schema = new StructType().add("Name", DataTypes.StringType).add("ra", DataTypes.FloatType)
        .add("dec", DataTypes.DoubleType).add("radius", DataTypes.DoubleType).add("note", DataTypes.StringType);
    Path file = parquet("ok.parquet", schema, List.of(
        RowFactory.create("Crab", 83.63308f, 22.0145, 60.0, "x"),
        RowFactory.create("Mira", 34.836625f, -2.977639, null, null)));
    WatchlistCatalog catalog = WatchlistCatalog.read(file);
    assertEquals(2, catalog.size());
    assertEquals("Mira", catalog.name(1));
    assertEquals((double) 34.836625f, catalog.ra(1));
    assertEquals(60, catalog.radiusArcsec(0));
    assertTrue(Double.isNaN(catalog.radiusArcsec(1)));
    Watchlist w = Rules.watchlist("candidate.ra", "candidate.dec").file(file).within(2, AngleUnit.ARCSEC);
    assertEquals("Crab", w.index().nearest(83.63308, 22.0145 + 30.0 / 3600).name(), "own radius 60 arcsec");
    assertEquals(null, w.index().nearest(34.836625, -2.977639 + 3.0 / 3600), "default radius 2 arcsec");
  }

  @Test
  void badParquetCatalogsNameTheFileRowColumnAndFix() throws IOException {
    StructType noDec = new StructType().add("name", DataTypes.StringType).add("ra", DataTypes.DoubleType);
    List<String> problems = WatchlistCatalog.check(parquet("nodec.parquet", noDec,
        List.of(RowFactory.create("a", 1.0)))).problems();
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).contains("nodec.parquet: the file has no column dec"), problems.get(0));

    StructType schema = new StructType().add("name", DataTypes.StringType).add("ra", DataTypes.DoubleType)
        .add("dec", DataTypes.DoubleType);
    Path file = parquet("bad.parquet", schema, List.of(
        RowFactory.create("a", 1.0, 1.0),
        RowFactory.create("b", 360.0, 1.0),
        RowFactory.create("c", Double.NaN, 1.0),
        RowFactory.create(null, 1.0, 1.0),
        RowFactory.create("a", 2.0, null)));
    problems = WatchlistCatalog.check(file).problems();
    String all = String.join("\n", problems);
    assertEquals(5, problems.size(), all);
    assertTrue(problems.get(0).endsWith("bad.parquet, row 2: column ra is 360, outside [0, 360); give the right"
        + " ascension in degrees (J2000), e.g. 83.63308"), all);
    assertTrue(problems.get(1).contains("row 3: column ra is NaN, not a finite number"), all);
    assertTrue(problems.get(2).contains("row 4: column name is empty"), all);
    assertTrue(problems.get(3).contains("row 5: column dec is null"), all);
    assertTrue(problems.get(4).contains("row 5: column name holds \"a\", already the name of the source on row 1"),
        all);

    StructType wrongType = new StructType().add("name", DataTypes.StringType).add("ra", DataTypes.StringType)
        .add("dec", DataTypes.DoubleType);
    problems = WatchlistCatalog.check(parquet("types.parquet", wrongType,
        List.of(RowFactory.create("a", "1", 1.0)))).problems();
    assertTrue(problems.get(0).contains("types.parquet: column ra is not a number column"), problems.toString());
  }
}
