package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.schema.DistributionSchema;

/**
 * What the rules would publish from the science database, without publishing anything, in one aggregation over the
 * data for all streams: per stream the alerts that pass, the bytes of their messages, the expected alerts per night,
 * and for each condition of its filter how many alerts fail it (counted independently, so the counts overlap: an
 * alert failing two conditions counts under both) and how many fail only it (pass every other condition: the alerts
 * that dropping this condition would add).
 *
 * <pre>{@code
 * DryRun.Result result = DryRun.of(db, rules, LocalDate.parse("2024-01-01"));
 * result.streams().forEach(s -> System.out.println(s.stream() + ": " + s.passed() + " alerts, " + s.rejectedBy()));
 * }</pre>
 */
public final class DryRun {
  /**
   * One stream's estimate.
   *
   * @param stream stream name
   * @param topic its topic ({@code null}: the configured default)
   * @param passed alerts that pass its filter
   * @param bytes bytes of their messages in the framing asked (the value; in the {@code fink} framing also the key,
   *     the schema JSON that every message carries); before compression
   * @param perNight passed alerts per observing night of the data
   * @param rejectedBy for each condition of the filter (as it reads), how many alerts fail it, whatever the other
   *     conditions say (the counts overlap)
   * @param rejectedOnlyBy for each condition, how many alerts fail it and pass every other condition of the filter
   */
  public record StreamEstimate(String stream, String topic, long passed, long bytes, double perNight,
      Map<String, Long> rejectedBy, Map<String, Long> rejectedOnlyBy) {
    /** Without the "fails only this condition" counts (all zero). */
    public StreamEstimate(String stream, String topic, long passed, long bytes, double perNight,
        Map<String, Long> rejectedBy) {
      this(stream, topic, passed, bytes, perNight, rejectedBy, zeros(rejectedBy));
    }

    private static Map<String, Long> zeros(Map<String, Long> rejectedBy) {
      Map<String, Long> zeros = new LinkedHashMap<>();
      rejectedBy.keySet().forEach(k -> zeros.put(k, 0L));
      return zeros;
    }
  }

  /** How many alerts (over how many nights) were scanned, and each stream's estimate in rules order. */
  public record Result(long scanned, long nights, List<StreamEstimate> streams) {
    /** Alerts passed, by stream name. */
    public Map<String, Long> passed() {
      Map<String, Long> passed = new LinkedHashMap<>();
      streams.forEach(s -> passed.put(s.stream(), s.passed()));
      return passed;
    }
  }

  private DryRun() {}

  /** The estimate over the whole science database, with messages sized in the default {@code fink} framing. */
  public static Result of(ScienceDb db, DistributionRules rules) {
    return of(db, rules, null, MessageFormat.FINK);
  }

  /** The estimate over the nights from {@code since} on (null: all), sized in the default {@code fink} framing. */
  public static Result of(ScienceDb db, DistributionRules rules, LocalDate since) {
    return of(db, rules, since, MessageFormat.FINK);
  }

  /**
   * The estimate over the nights from {@code since} on (null: all), with messages sized as the distribution frames them
   * in {@code format} ({@code DISTRIBUTION_FORMAT}).
   *
   * <pre>{@code
   * DryRun.of(db, rules, null, config.messageFormat()).streams().get(0).bytes();
   * }</pre>
   */
  public static Result of(ScienceDb db, DistributionRules rules, LocalDate since, MessageFormat format) {
    StructType schema = db.schema();
    Schema dbAvro = ScienceDb.avroSchema(schema);
    RuleValidator.validate(rules, dbAvro);
    RuleColumns columns = new RuleColumns(schema);
    Dataset<Row> alerts = db.read(schema);
    boolean hasNight = schema.getFieldIndex(ScienceDb.NIGHT).isDefined();
    if (since != null) {
      if (!hasNight) {
        throw new IllegalArgumentException("--since needs the science database column " + ScienceDb.NIGHT);
      }
      alerts = alerts.filter(col(ScienceDb.NIGHT).geq(lit(java.sql.Date.valueOf(since))));
    }
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(hasNight ? count_distinct(col(ScienceDb.NIGHT)).as("nights") : lit(1L).as("nights"));
    List<DistributionStream> streams = rules.streams();
    for (int i = 0; i < streams.size(); i++) {
      DistributionStream stream = streams.get(i);
      Column passes = coalesce(columns.all(stream.filter()), lit(false));
      Schema out = DistributionSchema.derive(dbAvro, stream);
      Column projection = StreamProjection.of(out, schema,
          Watchlist.annotating(stream.filter()).map(columns::match).orElse(null));
      StructType shape = (StructType) alerts.select(projection).schema().fields()[0].dataType();
      Column size = udf(new MessageSize(out.toString(), shape, format), DataTypes.LongType).apply(projection);
      aggregates.add(count_if(passes).as("passed_" + i));
      aggregates.add(coalesce(sum(when(passes, size)), lit(0L)).as("bytes_" + i));
      List<Condition> conditions = stream.filter();
      List<Column> fails = conditions.stream().map(c -> not(coalesce(columns.of(c), lit(false)))).toList();
      // how many conditions each alert fails: one column (a balanced sum: thousands of conditions stay shallow)
      String failuresName = "__fink_dry_run_failures_" + i;
      alerts = alerts.withColumn(failuresName,
          total(fails.stream().map(f -> when(f, lit(1)).otherwise(lit(0))).toList(), 0, fails.size()));
      Column failures = col(failuresName);
      for (int j = 0; j < conditions.size(); j++) {
        aggregates.add(count_if(fails.get(j)).as("rejected_" + i + "_" + j));
        aggregates.add(count_if(fails.get(j).and(failures.equalTo(lit(1)))).as("only_" + i + "_" + j));
      }
    }
    Row row = alerts.agg(count(lit(1)).as("scanned"), aggregates.toArray(Column[]::new)).first();
    long scanned = row.getLong(row.fieldIndex("scanned"));
    long nights = Math.max(1, ((Number) row.get(row.fieldIndex("nights"))).longValue());
    List<StreamEstimate> estimates = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      DistributionStream stream = streams.get(i);
      Map<String, Long> rejected = new LinkedHashMap<>();
      Map<String, Long> only = new LinkedHashMap<>();
      for (int j = 0; j < stream.filter().size(); j++) {
        String condition = stream.filter().get(j).toString();
        rejected.put(condition, row.getLong(row.fieldIndex("rejected_" + i + "_" + j)));
        only.put(condition, row.getLong(row.fieldIndex("only_" + i + "_" + j)));
      }
      long passed = row.getLong(row.fieldIndex("passed_" + i));
      estimates.add(new StreamEstimate(stream.name(), stream.topic(), passed,
          ((Number) row.get(row.fieldIndex("bytes_" + i))).longValue(), (double) passed / nights, rejected, only));
    }
    return new Result(scanned, scanned == 0 ? 0 : nights, estimates);
  }

  /** The sum of {@code terms[from, to)} as a balanced tree; 0 when empty. */
  private static Column total(List<Column> terms, int from, int to) {
    if (to - from == 0) {
      return lit(0);
    }
    if (to - from == 1) {
      return terms.get(from);
    }
    int middle = (from + to) >>> 1;
    return total(terms, from, middle).plus(total(terms, middle, to));
  }

  /**
   * The size of an alert's message, encoded as the distribution encodes it ({@link AvroRowWriter} for the record,
   * {@link AlertCodec} for the framing: its prefix, or the container or JSON it reframes the record into; the schema
   * key of the {@code fink} framing counted too), on the executors.
   */
  private static final class MessageSize implements UDF1<Row, Long> {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private final StructType shape;
    private final MessageFormat format;
    private transient AvroRowWriter writer;
    private transient AlertCodec framer;
    private transient long keyBytes;
    private transient byte[] prefix;
    private transient scala.Function1<Object, Object> toInternal;
    private transient AvroBytes buffer;

    MessageSize(String schemaJson, StructType shape, MessageFormat format) {
      this.schemaJson = schemaJson;
      this.shape = shape;
      this.format = format;
    }

    @Override
    public Long call(Row alert) {
      if (writer == null) {
        Schema schema = new Schema.Parser().parse(schemaJson);
        writer = AvroRowWriter.of(schema, shape);
        AlertCodec codec = AlertCodec.of(format, schema);
        boolean reframed = format == MessageFormat.AVRO_CONTAINER || format == MessageFormat.JSON;
        prefix = reframed ? new byte[0] : codec.recordPrefix();
        framer = reframed ? codec : null;
        keyBytes = format == MessageFormat.FINK ? AlertCodec.schemaKey(schema).length : 0;
        toInternal = CatalystTypeConverters.createToCatalystConverter(shape);
        buffer = new AvroBytes(256 * 1024);
      }
      buffer.reset();
      buffer.writeRaw(prefix);
      writer.write((InternalRow) toInternal.apply(alert), buffer);
      long value = framer == null ? buffer.size() : framer.frame(buffer.toByteArray()).length;
      return keyBytes + value;
    }
  }
}
