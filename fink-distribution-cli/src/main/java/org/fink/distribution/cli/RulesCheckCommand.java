package org.fink.distribution.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
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
 * line and column; on success one line per stream.
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
      List<RuleProblem> problems = RuleValidator.problems(rules, ScienceDb.avroSchema(db.schema()));
      if (!problems.isEmpty()) {
        return report(problems);
      }
    } else {
      System.out.println("note: no science database at " + db.path() + ": fields and value types not checked");
    }
    for (DistributionStream stream : rules.streams()) {
      System.out.printf("%s: stream %s -> topic %s: %s selected, %d dropped, %d conditions%n", file, stream.name(),
          stream.topicOr(config.get(ConfigKey.DISTRIBUTION_TOPIC)),
          stream.select().isEmpty() ? "all fields" : stream.select().size() + " fields", stream.drop().size(),
          stream.filter().size());
    }
    return 0;
  }

  private static int report(List<RuleProblem> problems) {
    problems.forEach(p -> System.err.println(p));
    System.err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " found");
    return 1;
  }
}
