package org.fink.distribution.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.rules.ConditionText;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.ScienceDbFooters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code fink rules check FILE}: every problem of a rules file in one run (XML, grammar, regular expressions, streams,
 * unknown fields, value types), sorted by line, each with file, line, column and the fix, exit code 1; on success one
 * line per stream, e.g.
 *
 * <pre>{@code
 * conf/examples/ztf-purity.xml: stream default -> topic fink_outstream: 4 fields selected, 2 dropped; alerts where
 * candidate.rb >= 0.65 AND candidate.nbad = 0 AND ...
 * }</pre>
 *
 * <p>The science database's schema is read from its Parquet footers, without Spark (well under a second); Spark is
 * started only when the footers do not tell (another format, files not written by Spark).
 */
@Command(name = "check", description = "validate a rules file against the science-database schema")
final class RulesCheckCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "rules file (XML)")
  Path file;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    RulesXml.Checked checked = RulesXml.check(file);
    DistributionRules rules = checked.rules();
    List<RuleProblem> problems = new ArrayList<>(checked.problems());
    List<RuleProblem> warnings = List.of();
    String dbPath = config.get(ConfigKey.SCIENCE_DB_PATH);
    Optional<Schema> schema = rules == null ? Optional.empty() : schema(config);
    if (schema.isPresent()) {
      problems.addAll(RuleValidator.problems(rules, schema.get()));
      warnings = RuleValidator.warnings(rules, schema.get());
    }
    if (!problems.isEmpty()) {
      return report(RulesXml.sorted(new ArrayList<>(new LinkedHashSet<>(problems))));
    }
    warnings.forEach(w -> System.err.println("warning: " + w));
    if (schema.isEmpty()) {
      System.out.println("note: no science database at " + dbPath + ": fields and value types not checked");
    }
    for (DistributionStream stream : rules.streams()) {
      System.out.println(summary(stream, config.get(ConfigKey.DISTRIBUTION_TOPIC)));
    }
    return 0;
  }

  /**
   * The science database's schema as Avro: from the Parquet footers when they tell it, else from Spark; empty when
   * there is no database yet.
   */
  private static Optional<Schema> schema(FinkConfig config) {
    String path = config.get(ConfigKey.SCIENCE_DB_PATH);
    String format = config.get(ConfigKey.SCIENCE_DB_FORMAT);
    Configuration hadoop = new Configuration();
    if (!ScienceDbFooters.exists(hadoop, path)) {
      return Optional.empty();
    }
    Optional<Schema> fromFooters = "parquet".equalsIgnoreCase(format)
        ? ScienceDbFooters.avroSchema(hadoop, path) : Optional.empty();
    if (fromFooters.isPresent()) {
      return fromFooters;
    }
    ScienceDb db = ScienceDb.of(SparkSessions.of(config, "fink-rules-check"), config);
    return db.exists() ? Optional.of(ScienceDb.avroSchema(db.schema())) : Optional.empty();
  }

  /** One line: where the stream goes, what it holds, which alerts. */
  private String summary(DistributionStream stream, String defaultTopic) {
    return String.format("%s: stream %s -> topic %s: %s, %d dropped; %s", file, stream.name(),
        stream.topicOr(defaultTopic),
        stream.select().isEmpty() ? "all fields" : stream.select().size() + " fields selected", stream.drop().size(),
        stream.filter().isEmpty() ? "every alert" : "alerts where " + ConditionText.of(stream.filter()));
  }

  private static int report(List<RuleProblem> problems) {
    problems.forEach(p -> System.err.println(p));
    System.err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " found");
    return 1;
  }
}
