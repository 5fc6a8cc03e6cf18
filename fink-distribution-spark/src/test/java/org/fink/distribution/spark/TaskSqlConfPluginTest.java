package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.junit.jupiter.api.Test;

/** Inside a task, the SQL conf is the task's own, made once, and reads the session's settings of that job. */
class TaskSqlConfPluginTest {
  final SparkSession spark = TestSpark.session();

  @Test
  void aTaskKeepsOneConfWithTheSessionsSettingsOfItsJob() {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    try {
      spark.conf().set("spark.sql.session.timeZone", "Pacific/Tahiti");
      List<String> seen = spark.range(4).repartition(2).map((MapFunction<Long, String>) i -> {
        SQLConf first = SQLConf.get();
        String read = first.sessionLocalTimeZone();
        String again = SQLConf.get().sessionLocalTimeZone(); // kept: the same conf, the same value
        return (first == SQLConf.get() ? "same conf " : "new conf ") + read + " " + again + " "
            + first.getClass().getSimpleName();
      }, Encoders.STRING()).collectAsList();
      assertEquals(4, seen.size());
      seen.forEach(s -> assertEquals("same conf Pacific/Tahiti Pacific/Tahiti TaskSqlConf", s));
      spark.conf().set("spark.sql.session.timeZone", "Asia/Tokyo"); // the next job's tasks read the new value
      assertEquals("Asia/Tokyo", spark.range(1).map((MapFunction<Long, String>) i -> SQLConf.get()
          .sessionLocalTimeZone(), Encoders.STRING()).first());
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
    }
  }
}
