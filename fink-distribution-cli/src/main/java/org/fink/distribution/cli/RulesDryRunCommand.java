package org.fink.distribution.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.DryRun;
import org.fink.distribution.spark.ScienceDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code fink rules dry-run FILE}: how many alerts of the science database each stream would publish. */
@Command(name = "dry-run", description = "count per stream what the rules would publish; publishes nothing")
final class RulesDryRunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "rules file (XML)")
  Path file;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    ScienceDb db = ScienceDb.of(SparkSessions.of(config, "fink-rules-dry-run"), config);
    DryRun.Result result = DryRun.of(db, RulesXml.read(file));
    System.out.println(result.scanned() + " alerts in the science database " + db.path());
    result.passed().forEach((stream, n) -> System.out.printf("stream %s: %d alerts would be published%n", stream, n));
    return 0;
  }
}
