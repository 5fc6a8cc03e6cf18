package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How alerts are stored: Parquet row groups small enough for a reader to hold a few of them, without compression
 * unless the session asks for one.
 */
class ScienceDbTest {
  private static final int ALERT_BYTES = 100_000;
  @TempDir Path work;
  final SparkSession spark = TestSpark.session();

  @Test
  void appendWritesRowGroupsOfAtMostRowGroupBytes() throws IOException {
    // 40 MB in one file: 400 alerts of 100 KB of random characters (cutouts are gzipped FITS: incompressible)
    Dataset<Row> alerts = spark.range(0, 400, 1, 1).selectExpr("id AS candid",
        "cast(randstr(" + ALERT_BYTES + ") AS binary) AS cutout", "date'2026-11-28' AS " + ScienceDb.NIGHT);
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");

    db.append(alerts);

    List<BlockMetaData> rowGroups = new ArrayList<>();
    try (Stream<Path> files = Files.walk(work.resolve("db"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
          rowGroups.addAll(reader.getFooter().getBlocks());
        }
      }
    }
    assertEquals(400, rowGroups.stream().mapToLong(BlockMetaData::getRowCount).sum());
    assertTrue(rowGroups.size() >= 2, "40 MB of alerts in one file make several row groups: " + rowGroups.size());
    for (BlockMetaData group : rowGroups) {
      // Parquet checks the size every few rows, so a row group ends a little after the size is reached, if at all
      assertTrue(group.getCompressedSize() <= ScienceDb.ROW_GROUP_BYTES * 11 / 10,
          "a row group ends once it holds " + ScienceDb.ROW_GROUP_BYTES + " bytes: " + group.getCompressedSize());
    }
    Row last = db.read().where("candid = 399").first();
    assertEquals(ALERT_BYTES, ((byte[]) last.getAs("cutout")).length, "the alert reads back whole");
  }

  @Test
  void appendCompressesOnlyWhenTheSessionAsks() throws IOException {
    Dataset<Row> alerts = spark.range(0, 10, 1, 1).selectExpr("id AS candid", "repeat('ZTF', 1000) AS text",
        "date'2026-11-28' AS " + ScienceDb.NIGHT);
    ScienceDb plain = new ScienceDb(spark, work.resolve("plain").toString(), "parquet");
    plain.append(alerts);
    assertEquals(List.of(CompressionCodecName.UNCOMPRESSED), codecs(work.resolve("plain")),
        "cutouts are gzipped already: no compression by default");

    spark.conf().set(ScienceDb.PARQUET_COMPRESSION, "zstd");
    try {
      new ScienceDb(spark, work.resolve("zstd").toString(), "parquet").append(alerts);
    } finally {
      spark.conf().unset(ScienceDb.PARQUET_COMPRESSION);
    }
    assertEquals(List.of(CompressionCodecName.ZSTD), codecs(work.resolve("zstd")), "the session's choice wins");
    assertEquals(10, plain.read().count());
  }

  @Test
  void cutoutsAreWrittenWithoutDictionaryAndOtherColumnsWithIt() throws IOException {
    // the same bytes in every row, so that a dictionary would be kept if Parquet were let to try one (with unique
    // cutouts it tries, hashing ~75 of them per row group, then falls back: the file would not show it)
    Dataset<Row> alerts = spark.range(0, 50, 1, 1).selectExpr("id AS candid", "'g' AS band",
        "named_struct('stampData', cast(repeat('x', 1000) AS binary), 'fileName', 'cutout.fits.gz') AS cutoutScience",
        "date'2026-11-28' AS " + ScienceDb.NIGHT);
    assertEquals(List.of("cutoutScience.stampData"), ScienceDb.binaryColumns(alerts.schema(), ""));
    new ScienceDb(spark, work.resolve("db").toString(), "parquet").append(alerts);

    Map<String, Set<Encoding>> encodings = new TreeMap<>();
    try (Stream<Path> files = Files.walk(work.resolve("db"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
          reader.getFooter().getBlocks().forEach(block -> block.getColumns().forEach(column -> encodings
              .computeIfAbsent(column.getPath().toDotString(), k -> new HashSet<>()).addAll(column.getEncodings())));
        }
      }
    }
    assertTrue(encodings.get("cutoutScience.stampData").stream().noneMatch(Encoding::usesDictionary),
        "binary columns: no dictionary " + encodings);
    assertTrue(encodings.get("cutoutScience.fileName").stream().anyMatch(Encoding::usesDictionary),
        "a repeated string keeps its dictionary " + encodings);
  }

  private static List<CompressionCodecName> codecs(Path db) throws IOException {
    List<CompressionCodecName> codecs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(db)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
          reader.getFooter().getBlocks().forEach(block -> block.getColumns()
              .forEach(column -> codecs.add(column.getCodec())));
        }
      }
    }
    return codecs.stream().distinct().toList();
  }
}
