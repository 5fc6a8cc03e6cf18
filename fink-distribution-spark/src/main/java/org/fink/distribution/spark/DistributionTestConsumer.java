package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.types.StructType;

/**
 * {@code distribution_test}: follows a distributed topic, decodes each alert and prints a summary table
 * ({@code objectId}, {@code candid}, {@code ra}, {@code dec}, {@code magpsf}, ...) until enough alerts were seen or
 * time is up.
 *
 * <pre>{@code
 * long seen = new DistributionTestConsumer(reader, System.out).run("fink_outstream", 100, Duration.ofSeconds(60));
 * }</pre>
 */
public final class DistributionTestConsumer {
  private static final String[] SUMMARY = {"objectId", "candid", "candidate.jd", "candidate.ra", "candidate.dec",
      "candidate.magpsf", "candidate.fid", "cdsxmatch"};

  private final AlertTopicReader reader;
  private final PrintStream out;

  public DistributionTestConsumer(AlertTopicReader reader, PrintStream out) {
    this.reader = reader;
    this.out = out;
  }

  /**
   * Prints alerts of {@code topic} from its beginning; returns how many were printed once {@code maxAlerts} were
   * printed (exactly that many, however large the micro-batches; 0: no limit) or {@code exitAfter} passed.
   */
  public long run(String topic, long maxAlerts, Duration exitAfter) {
    AtomicLong seen = new AtomicLong();
    Dataset<Row> alerts = reader.readStream(topic, "earliest");
    Column[] summary = summaryColumns(alerts.schema());
    VoidFunction2<Dataset<Row>, Long> print = (batch, id) -> {
      long room = maxAlerts <= 0 ? Long.MAX_VALUE : maxAlerts - seen.get();
      if (room <= 0) {
        return;
      }
      Dataset<Row> selected = batch.select(summary);
      // a micro-batch may hold more alerts than asked for: print exactly maxAlerts in all
      List<Row> rows = room == Long.MAX_VALUE ? selected.collectAsList()
          : selected.limit((int) Math.min(room, Integer.MAX_VALUE)).collectAsList();
      if (!rows.isEmpty()) {
        out.print(table(selected.columns(), rows));
        out.flush();
        seen.addAndGet(rows.size());
      }
    };
    StreamingQuery query;
    try {
      query = alerts.writeStream().queryName("fink-distribution-test").foreachBatch(print).start();
    } catch (TimeoutException e) {
      throw new DistributionException("cannot start reading " + topic + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + exitAfter.toNanos();
    try {
      while (query.isActive() && System.nanoTime() < deadline && (maxAlerts <= 0 || seen.get() < maxAlerts)) {
        query.awaitTermination(200);
      }
      if (query.exception().isDefined()) {
        throw new DistributionException("reading " + topic + " failed: " + query.exception().get().getMessage());
      }
    } catch (StreamingQueryException e) {
      throw new DistributionException("reading " + topic + " failed: " + e.getMessage(), e);
    } finally {
      stop(query);
    }
    out.println(seen.get() + " alerts read from " + topic);
    return seen.get();
  }

  /** A plain-text table of the rows, like {@code Dataset.show}. */
  static String table(String[] header, List<Row> rows) {
    int[] width = new int[header.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
    }
    for (Row row : rows) {
      String[] line = new String[header.length];
      for (int i = 0; i < header.length; i++) {
        line[i] = String.valueOf(row.get(i));
        width[i] = Math.max(width[i], line[i].length());
      }
      cells.add(line);
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    StringBuilder text = new StringBuilder().append(rule).append('\n').append(line(header, width)).append(rule)
        .append('\n');
    cells.forEach(c -> text.append(line(c, width)));
    return text.append(rule).append('\n').toString();
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      line.append(' ').append(String.format("%" + width[i] + "s", cells[i])).append(" |");
    }
    return line.append('\n').toString();
  }

  private static void stop(StreamingQuery query) {
    try {
      query.stop();
    } catch (TimeoutException e) {
      throw new DistributionException("the test consumer did not stop: " + e.getMessage(), e);
    }
  }

  private static Column[] summaryColumns(StructType schema) {
    List<Column> columns = new ArrayList<>();
    for (String name : SUMMARY) {
      if (has(schema, name.split("\\."))) {
        columns.add(col(name).as(name.substring(name.lastIndexOf('.') + 1)));
      }
    }
    columns.add(col("kafka_partition"));
    columns.add(col("kafka_offset"));
    return columns.toArray(Column[]::new);
  }

  private static boolean has(StructType schema, String[] path) {
    StructType current = schema;
    for (int i = 0; i < path.length; i++) {
      if (current.getFieldIndex(path[i]).isEmpty()) {
        return false;
      }
      var type = current.apply(path[i]).dataType();
      if (i < path.length - 1) {
        if (!(type instanceof StructType struct)) {
          return false;
        }
        current = struct;
      }
    }
    return true;
  }
}
