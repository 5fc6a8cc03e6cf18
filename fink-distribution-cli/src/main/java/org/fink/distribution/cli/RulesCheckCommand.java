package org.fink.distribution.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.rules.ConditionText;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.ScienceDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code fink rules check FILE}: every problem of a rules file (syntax, unknown fields, value types), each with file,
 * line, column and the fix, exit code 1; on success one line per stream, e.g.
 *
 * <pre>{@code
 * conf/examples/ztf-purity.xml: stream default -> topic fink_outstream: 4 fields selected, 2 dropped; alerts where
 * candidate.rb >= 0.65 AND candidate.nbad = 0 AND ...
 * }</pre>
 */
@Command(name = "check", description = "validate a rules file against the science-database schema")
final class RulesCheckCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "rules file (XML)")
  Path file;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    DistributionRules rules;
    try {
      rules = RulesXml.read(file);
    } catch (RuleException e) {
      return report(e.problems());
    }
    SparkSession spark = SparkSessions.of(config, "fink-rules-check");
    ScienceDb db = ScienceDb.of(spark, config);
    if (db.exists()) {
      Schema schema = ScienceDb.avroSchema(db.schema());
      List<RuleProblem> problems = RuleValidator.problems(rules, schema);
      if (!problems.isEmpty()) {
        return report(problems);
      }
      RuleValidator.warnings(rules, schema).forEach(w -> System.err.println("warning: " + w));
    } else {
      System.out.println("note: no science database at " + db.path() + ": fields and value types not checked");
    }
    for (DistributionStream stream : rules.streams()) {
      System.out.println(summary(stream, config.get(ConfigKey.DISTRIBUTION_TOPIC)));
    }
    return 0;
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
