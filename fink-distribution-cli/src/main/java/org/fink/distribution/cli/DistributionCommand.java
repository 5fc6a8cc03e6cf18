package org.fink.distribution.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.RunningDistribution;
import org.fink.distribution.spark.ScienceDbFooters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fink start distribution}: publishes new science-database alerts to Kafka, per the rules. */
@Command(name = "distribution", description = "scan the science database and publish selected alerts to Kafka")
final class DistributionCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--once", description = "publish what is new, then exit")
  boolean once;

  @Option(names = "--exit-after", paramLabel = "SECONDS", description = "stop after this many seconds")
  Double exitAfter;

  @Option(names = "--progress", description = "show a live progress line on the terminal (stderr)")
  boolean progress;

  @Option(names = "--force-schema",
      description = "publish a stream schema even if consumers of its previous schema cannot read it")
  boolean forceSchema;

  @Override
  public Integer call() throws Exception {
    FinkConfig config = options.load();
    DistributionRules rules = checkRulesFile(config.path(ConfigKey.DISTRIBUTION_RULES_XML));
    checkRulesAgainstTheFooters(rules, config);
    SparkSession spark = SparkSessions.of(config, "fink-distribution");
    Distribution distribution = Distribution.builder().config(spark, config).forceSchemaChange(forceSchema).build();
    try (RunningDistribution running = once ? distribution.startOnce() : distribution.start();
        ProgressLine line = progress ? new ProgressLine(running::progress, System.err) : null) {
      return run(running);
    }
  }

  /**
   * Rules naming unknown fields or values of the wrong type are named at once too, when the science database's
   * Parquet footers give its schema (else the distribution checks them once Spark has read it).
   */
  private static void checkRulesAgainstTheFooters(DistributionRules rules, FinkConfig config) {
    if ("parquet".equalsIgnoreCase(config.get(ConfigKey.SCIENCE_DB_FORMAT))) {
      ScienceDbFooters.avroSchema(new org.apache.hadoop.conf.Configuration(), config.get(ConfigKey.SCIENCE_DB_PATH))
          .ifPresent(schema -> RuleValidator.validate(rules, schema));
    }
  }

  /** A missing, unreadable or invalid rules file (syntax, limits) is named at once, before Spark starts. */
  private static DistributionRules checkRulesFile(Path rules) {
    if (!Files.exists(rules)) {
      throw new IllegalArgumentException("the rules file " + rules + " (DISTRIBUTION_RULES_XML) does not exist; set"
          + " DISTRIBUTION_RULES_XML to your rules file (conf/distribution-rules.xml is an example)");
    }
    if (!Files.isRegularFile(rules) || !Files.isReadable(rules)) {
      throw new IllegalArgumentException("the rules file " + rules + " (DISTRIBUTION_RULES_XML) is "
          + (Files.isDirectory(rules) ? "a folder" : "not readable") + "; set DISTRIBUTION_RULES_XML to your rules"
          + " file");
    }
    return RulesXml.read(rules);
  }

  private int run(RunningDistribution running) {
    if (once) {
      System.out.println("distribution done: " + running.awaitTermination());
      return 0;
    }
    if (exitAfter == null) {
      running.awaitTermination();
    } else if (!running.awaitTermination(Duration.ofMillis((long) (exitAfter * 1000)))) {
      running.stopGracefully(Duration.ofSeconds(60));
    }
    System.out.println("distribution stopped: " + running.progress());
    return 0;
  }
}
