package org.fink.distribution.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.DryRun;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.ScienceDbFooters;
import org.fink.distribution.spark.ScienceDbMissingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fink rules dry-run FILE}: how many alerts of the science database each stream would publish. */
@Command(name = "dry-run", description = "count per stream what the rules would publish; publishes nothing")
final class RulesDryRunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "rules file (XML)")
  Path file;

  @Option(names = "--since", paramLabel = "YYYY-MM-DD",
      description = "only the nights from this date on (default: the whole science database)")
  LocalDate since;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    DistributionRules rules = RulesXml.read(file);  // a bad file is named before Spark starts
    String dbPath = config.get(ConfigKey.SCIENCE_DB_PATH);
    if (!ScienceDbFooters.exists(new org.apache.hadoop.conf.Configuration(), dbPath)) {
      throw new ScienceDbMissingException(dbPath);  // named at once, before Spark starts
    }
    ScienceDb db = ScienceDb.of(SparkSessions.of(config, "fink-rules-dry-run"), config);
    DryRun.Result result = DryRun.of(db, rules, since, config.messageFormat());
    System.out.print(DryRunReport.of(result, db.path(), since, config.get(ConfigKey.DISTRIBUTION_TOPIC)));
    System.out.printf("message sizes in the %s framing (DISTRIBUTION_FORMAT), key included, before compression%n",
        config.messageFormat().label());
    return 0;
  }
}
