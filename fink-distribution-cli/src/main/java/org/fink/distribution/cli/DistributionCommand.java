package org.fink.distribution.cli;

import java.util.concurrent.Callable;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.DistributionException;
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
    SparkSession spark = SparkSessions.of(config, "fink-distribution");
    Distribution distribution = Distribution.builder().config(spark, config).forceSchemaChange(forceSchema).build();
    ProgressLine line = progress ? new ProgressLine(distribution::progress, System.err) : null;
    try {
      return run(distribution);
    } finally {
      if (line != null) {
        line.close();
      }
    }
  }

  private int run(Distribution distribution) {
    if (once) {
      System.out.println("distribution done: " + distribution.runOnce());
      return 0;
    }
    StreamingQuery query = distribution.start();
    try {
      if (exitAfter == null) {
        query.awaitTermination();
      } else if (!query.awaitTermination((long) (exitAfter * 1000))) {
        Distribution.stopGracefully(query, Duration.ofSeconds(60));
      }
    } catch (StreamingQueryException e) {
      throw new DistributionException("distribution failed: " + e.getMessage(), e);
    }
    System.out.println("distribution stopped: " + distribution.progress());
    return 0;
  }
}
