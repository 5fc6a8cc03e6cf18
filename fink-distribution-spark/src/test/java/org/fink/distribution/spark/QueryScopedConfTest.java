package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings for the distribution's query reach its micro-batches and leave the user's session as it was. */
class QueryScopedConfTest {
  private static final String KEY = "spark.sql.constraintPropagation.enabled";
  /** What each micro-batch saw; foreachBatch runs on the driver, in this JVM. */
  private static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @TempDir Path work;
  final SparkSession spark = TestSpark.session();

  @Test
  void theQuerySeesTheSettingAndTheSessionDoesNot() throws Exception {
    SEEN.clear();
    run("plain");

    assertEquals(List.of("false"), SEEN, "the micro-batch ran with the query's setting");
    assertFalse(spark.conf().contains(KEY), "the session is left as it was");
    assertEquals("true", spark.conf().get(KEY), "the session's own queries keep Spark's default");
  }

  @Test
  void aSettingTheUserMadeIsKept() throws Exception {
    SEEN.clear();
    spark.conf().set(KEY, "true");
    try {
      run("explicit");

      assertEquals(List.of("true"), SEEN, "the user's explicit setting wins");
      assertEquals("true", spark.conf().get(KEY));
    } finally {
      spark.conf().unset(KEY);
    }
  }

  private void run(String name) throws Exception {
    String source = work.resolve(name + "-source").toString();
    spark.range(3).write().parquet(source);
    Dataset<Row> rows = spark.readStream().schema(spark.read().parquet(source).schema()).parquet(source);
    VoidFunction2<Dataset<Row>, Long> record = (batch, id) -> SEEN.add(batch.sparkSession().conf().get(KEY));
    StreamingQuery query = QueryScopedConf.of(Map.of(KEY, "false")).start(spark, rows.writeStream()
        .foreachBatch(record).option("checkpointLocation", work.resolve(name + "-checkpoint").toString())
        .trigger(Trigger.AvailableNow()));
    query.awaitTermination();
  }
}
