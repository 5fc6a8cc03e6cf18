package org.fink.distribution.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.RuleValidator;

/**
 * Counts, per stream, what the rules would publish from the science database, without publishing anything.
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
    Dataset<Row> alerts = db.read();
    Map<String, Long> passed = new LinkedHashMap<>();
    for (DistributionStream stream : rules.streams()) {
      passed.put(stream.name(), alerts.filter(new RuleColumns(schema).all(stream.filter())).count());
    }
    return new Result(alerts.count(), passed);
  }
}
