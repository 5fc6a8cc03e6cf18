package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.udf;

import java.util.Map;
import java.util.WeakHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.WatchlistIndex;
import org.fink.distribution.rules.WatchlistMatch;

/**
 * The watchlist match of each alert as a Spark column: a struct {@code {name, separation_arcsec}}, null when the
 * alert is near no source. The catalog's {@link WatchlistIndex} (the very class the Avro evaluator uses) is broadcast
 * once per Spark context and looked up row by row in a UDF: no join, no cross product.
 *
 * <pre>{@code
 * Column match = WatchlistColumns.match(watchlist, ra, dec);
 * df.select(match.getField("name"), match.getField("separation_arcsec"));
 * }</pre>
 */
final class WatchlistColumns {
  /** The type of the match column. */
  static final StructType MATCH = new StructType()
      .add("name", DataTypes.StringType, true)
      .add("separation_arcsec", DataTypes.DoubleType, true);

  /** Broadcasts by index, with the context they belong to. */
  private static final Map<WatchlistIndex, Shared> BROADCASTS = new WeakHashMap<>();

  private record Shared(SparkContext context, Broadcast<WatchlistIndex> index) {}

  private WatchlistColumns() {}

  /** The match of the position in the columns {@code ra}, {@code dec} (degrees) with the watchlist's sources. */
  static Column match(Watchlist watchlist, Column ra, Column dec) {
    Broadcast<WatchlistIndex> index = broadcast(watchlist.index());
    UDF2<Double, Double, Row> lookup = (r, d) -> {
      if (r == null || d == null) {
        return null;
      }
      WatchlistMatch m = index.value().nearest(r, d);
      return m == null ? null : RowFactory.create(m.name(), m.separationArcsec());
    };
    return udf(lookup, MATCH).apply(ra.cast(DataTypes.DoubleType), dec.cast(DataTypes.DoubleType));
  }

  private static Broadcast<WatchlistIndex> broadcast(WatchlistIndex index) {
    SparkContext context = SparkSession.active().sparkContext();
    synchronized (BROADCASTS) {
      Shared shared = BROADCASTS.get(index);
      if (shared == null || shared.context() != context || context.isStopped()) {
        shared = new Shared(context, JavaSparkContext.fromSparkContext(context).broadcast(index));
        BROADCASTS.put(index, shared);
      }
      return shared.index();
    }
  }
}
