package org.fink.distribution.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code fink}: the distribution service and its tools (DESIGN.md §3).
 *
 * <pre>
 * bin/fink start ingest --alerts alerts/          # survey alert files -> science database
 * bin/fink start distribution --once              # publish what is new, then exit
 * bin/fink start distribution_test --max-alerts 10
 * bin/fink consume --topic fink_outstream --since 2026-11-30 --json
 * bin/fink rules check conf/distribution-rules.xml
 * bin/fink demo
 * bin/fink view --topic fink_outstream                 # a web page to look at the alerts
 * bin/fink replay --alerts alerts/ --topic ztf_alerts --visit 10000 --every 30s
 * </pre>
 */
@Command(name = "fink",
    description = {"Fink alert distribution: scans the science database, applies the distribution rules and publishes"
        + " the selected alerts to Kafka.",
        "Every command takes --conf FILE (default $FINK_HOME/conf/fink.conf.distribution); environment variables"
            + " of the same names override the file.", ""},
    subcommands = {FinkCommand.StartCommand.class, FinkCommand.RulesCommand.class, ConsumeCommand.class,
        DemoCommand.class, ViewCommand.class, ReplayCommand.class},
    footer = {"", "bin/fink notebook [SCRIPT]   jshell with Fink's classpath, running SCRIPT"
        + " (examples/notebooks/rules.jsh: build, validate and dry-run rules)"},
    usageHelpWidth = 120, versionProvider = VersionInfo.class)
public final class FinkCommand implements Runnable {
  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print the stack trace of an error")
  boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
  boolean help;

  @Option(names = "--version", versionHelp = true,
      description = "print the version, the git commit and the Spark, Kafka and Avro versions")
  boolean version;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The {@code fink} command line with its error handling. */
  public static CommandLine commandLine() {
    return CommandErrors.install(new CommandLine(new FinkCommand()), "fink");
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this),
        "name a command: start, rules, consume, demo, view or replay");
  }

  /** {@code fink start distribution | distribution_test | ingest}. */
  @Command(name = "start", description = "start a service",
      subcommands = {DistributionCommand.class, DistributionTestCommand.class, IngestCommand.class})
  static final class StartCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "name what to start: distribution, distribution_test or ingest");
    }
  }

  /** {@code fink rules check | dry-run}. */
  @Command(name = "rules", description = "check or try distribution rules",
      subcommands = {RulesCheckCommand.class, RulesDryRunCommand.class})
  static final class RulesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "name a rules command: check or dry-run");
    }
  }
}
