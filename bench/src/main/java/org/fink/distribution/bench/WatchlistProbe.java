package org.fink.distribution.bench;

import static org.apache.spark.sql.functions.col;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.WatchlistCatalog;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.RuleColumns;
import org.fink.distribution.spark.ScienceDb;

/**
 * One stream with and without a watchlist of a million sources, over the same science database of generated alerts
 * in Spark ({@code local[2]}): the time to read the catalog and build its index, then the stream's filter and
 * projection (with the watchlist: plus the match fields) written to Spark's {@code noop} sink, rounds alternating.
 * Sources lie on half the alerts (at most a tenth of the sources), so that about half match. Not part of {@code bench/run}:
 *
 * <pre>
 * java -Xmx2g @conf/jvm.options -cp "bench/target/classes:bench/target/lib/*" \
 *   org.fink.distribution.bench.WatchlistProbe [--alerts 20000] [--sources 1000000] [--rounds 3] [--out DIR]
 * </pre>
 */
public final class WatchlistProbe {
  private WatchlistProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int alerts = Integer.parseInt(options.getOrDefault("alerts", "20000"));
    int sources = Integer.parseInt(options.getOrDefault("sources", "1000000"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    Path work = Files.createDirectories(Path.of(options.getOrDefault("out", "bench/results/watchlist")));
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-watchlist");
    Path db = work.resolve("science_db");
    if (!Files.exists(db)) {
      new BenchData(spark, work).scienceDb("science_db", alerts);
    }
    Dataset<Row> data = new ScienceDb(spark, db.toString(), "parquet").read();
    List<Row> positions = data.select(col("candidate.ra"), col("candidate.dec"))
        .limit(Math.min(sources / 10, alerts / 2)).collectAsList();
    Path catalog = work.resolve("watchlist-" + sources + ".csv");
    Random random = new Random(20);
    try (BufferedWriter out = Files.newBufferedWriter(catalog)) {
      out.write("name,ra,dec\n");
      for (int i = 0; i < sources; i++) {
        boolean onAlert = i < positions.size();
        double ra = onAlert ? positions.get(i).getDouble(0) : random.nextDouble() * 360;
        double dec = onAlert ? positions.get(i).getDouble(1) + 0.5 / 3600
            : Math.toDegrees(Math.asin(2 * random.nextDouble() - 1));
        out.write("s" + i + "," + ra + "," + dec + "\n");
      }
    }
    long start = System.nanoTime();
    Watchlist watchlist = Rules.watchlist("candidate.ra", "candidate.dec").file(catalog)
        .within(2, AngleUnit.ARCSEC).annotated();
    int size = WatchlistCatalog.read(catalog).index(watchlist.radiusDegrees()).size();
    double loadSeconds = (System.nanoTime() - start) / 1e9;

    Condition stream = Rules.field("candidate.rb").ge(0.0);
    RuleColumns rules = new RuleColumns(data.schema());
    Column[] plain = {col("objectId"), col("candid"), col("candidate")};
    Column match = rules.match(watchlist);
    Column[] annotated = {col("objectId"), col("candid"), col("candidate"),
        match.getField("name").as(Watchlist.NAME_FIELD),
        match.getField("separation_arcsec").as(Watchlist.SEPARATION_FIELD)};
    Dataset<Row> without = data.filter(rules.of(stream)).select(plain);
    Dataset<Row> with = data.filter(rules.all(List.of(stream, watchlist))).select(annotated);
    long matched = with.count();
    run(without);  // warm-up
    run(with);
    List<Double> withoutSeconds = new ArrayList<>();
    List<Double> withSeconds = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      withoutSeconds.add(run(without));
      withSeconds.add(run(with));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("alerts", data.count());
    result.put("sources", size);
    result.put("catalogReadAndIndexSeconds", loadSeconds);
    result.put("alertsMatched", matched);
    result.put("withoutWatchlistSeconds", withoutSeconds);
    result.put("withWatchlistSeconds", withSeconds);
    result.put("medianRatio", median(withSeconds) / median(withoutSeconds));
    String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
    Files.writeString(work.resolve("watchlist.json"), json);
    System.out.println(json);
    spark.stop();
  }

  private static double run(Dataset<Row> stream) {
    long start = System.nanoTime();
    stream.write().format("noop").mode("overwrite").save();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
