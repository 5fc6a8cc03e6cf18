package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.RuleValidator;

/**
 * Counts, per stream, what the rules would publish from the science database, without publishing anything: one
 * aggregation over the data for all streams.
 *
 * <pre>{@code
 * DryRun.Result result = DryRun.of(db, rules);
 * result.passed().forEach((stream, n) -> System.out.println(stream + ": " + n));
 * }</pre>
 */
public final class DryRun {
  /** How many alerts were scanned, and how many each stream would publish (by stream name, in rules order). */
  public record Result(long scanned, Map<String, Long> passed) {}

  private DryRun() {}

  public static Result of(ScienceDb db, DistributionRules rules) {
    StructType schema = db.schema();
    RuleValidator.validate(rules, ScienceDb.avroSchema(schema));
    RuleColumns columns = new RuleColumns(schema);
    List<DistributionStream> streams = rules.streams();
    Column[] perStream = new Column[streams.size()];
    for (int i = 0; i < streams.size(); i++) {
      perStream[i] = count_if(columns.all(streams.get(i).filter())).as("stream_" + i);
    }
    Row counts = db.read().agg(count(lit(1)).as("scanned"), perStream).first();
    Map<String, Long> passed = new LinkedHashMap<>();
    for (int i = 0; i < streams.size(); i++) {
      passed.put(streams.get(i).name(), counts.getLong(i + 1));
    }
    return new Result(counts.getLong(0), passed);
  }
}
