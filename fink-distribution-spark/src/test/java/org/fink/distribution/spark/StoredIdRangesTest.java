package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which science-database files the Kafka ingest must read to find stored ids: those whose footer range takes in an
 * id, those an append of this ingest wrote with one of the ids, any file whose range is unknown; none otherwise.
 */
class StoredIdRangesTest {
  @TempDir Path work;
  final SparkSession spark = TestSpark.session();

  @Test
  void namesOnlyTheFilesThatMayHoldAnIdFromFootersThenFromTheIdsAppended() throws Exception {
    String db = work.resolve("db").toString();
    append(db, 100, 199);                       // stored before the ingest started: known from its footer
    StoredIdRanges ranges = new StoredIdRanges(spark.sparkContext().hadoopConfiguration(), db, "candidate.candid");

    assertEquals(List.of(), ranges.filesThatMayHold(Set.of(200L, 300L)), "ids above every stored range");
    assertEquals(1, ranges.listed());
    List<String> holding = ranges.filesThatMayHold(Set.of(150L, 300L));
    assertEquals(1, holding.size(), "150 is within the footer's range 100-199");

    append(db, 1000, 1009);                     // this ingest's append, of ids 1000, 1002... (even ones only)
    ranges.appended(Set.of(1000L, 1002L, 1004L, 1006L, 1008L));
    assertEquals(List.of(), ranges.filesThatMayHold(Set.of(1001L, 1003L)),
        "inside the appended file's range but not one of the ids appended");
    assertEquals(1, ranges.filesThatMayHold(Set.of(1004L)).size());
    assertEquals(2, ranges.filesThatMayHold(Set.of(150L, 1004L)).size());

    Files.writeString(work.resolve("db").resolve("stray.parquet"), "not parquet"); // a file no footer tells
    List<String> unknown = ranges.filesThatMayHold(Set.of(5000L));
    assertEquals(1, unknown.size(), "a file without a readable footer may hold any id");
    assertTrue(unknown.get(0).endsWith("stray.parquet"), unknown.toString());
  }

  /** One Parquet file of rows {@code candidate.candid} = first..last, as the science database nests it. */
  private void append(String db, long first, long last) {
    Dataset<Row> rows = spark.range(first, last + 1).coalesce(1)
        .selectExpr("named_struct('candid', id, 'magpsf', cast(id as float)) AS candidate",
            "date'2024-01-01' AS night");
    rows.write().mode("append").partitionBy("night").parquet(db);
  }
}
