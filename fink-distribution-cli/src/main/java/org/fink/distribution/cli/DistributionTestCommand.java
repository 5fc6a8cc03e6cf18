package org.fink.distribution.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.distribution.spark.AlertTopicReader;
import org.fink.distribution.spark.DistributionTestConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fink start distribution_test}: reads a distributed topic back, decodes and prints the alerts. */
@Command(name = "distribution_test", description = "read a distributed topic, decode and print its alerts")
final class DistributionTestCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--exit-after", paramLabel = "SECONDS", defaultValue = "60",
      description = "stop after this many seconds (default ${DEFAULT-VALUE})")
  double exitAfter;

  @Option(names = "--max-alerts", paramLabel = "N", defaultValue = "0",
      description = "stop once N alerts were read (default: no limit)")
  long maxAlerts;

  @Option(names = "--topic", paramLabel = "T", description = "topic to read (default DISTRIBUTION_TOPIC)")
  String topic;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    String defaultTopic = config.get(ConfigKey.DISTRIBUTION_TOPIC);
    String read = topic == null ? defaultTopic : topic;
    Path schemaFile = SchemaFiles.forTopic(config.path(ConfigKey.DISTRIBUTION_SCHEMA), defaultTopic, read);
    Schema schema = SchemaFiles.read(schemaFile);
    AlertTopicReader reader = new AlertTopicReader(SparkSessions.of(config, "fink-distribution-test"),
        config.get(ConfigKey.DISTRIBUTION_SERVERS), schema, config.messageFormat());
    new DistributionTestConsumer(reader, System.out).run(read, maxAlerts, Duration.ofMillis((long) (exitAfter * 1000)));
    return 0;
  }
}
