package org.fink.distribution.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.kafka.AdminRequests;
import org.fink.distribution.kafka.KafkaSetupException;
import org.fink.distribution.kafka.SchemaTopic;
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

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "message framing: auto (recognized per message), fink, avro-single-object, avro-raw,"
          + " avro-container, json (default ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--dump-schema", description = "print the topic's Avro schema and exit")
  boolean dumpSchema;

  @Override
  public Integer call() {
    FinkConfig config = options.load();
    String defaultTopic = config.get(ConfigKey.DISTRIBUTION_TOPIC);
    String read = topic == null ? defaultTopic : topic;
    checkReachable(config);
    Schema schema = schema(config, read);
    if (dumpSchema) {
      System.out.println(schema.toString(true));
      return 0;
    }
    AlertTopicReader reader = new AlertTopicReader(SparkSessions.of(config, "fink-distribution-test"),
        config.get(ConfigKey.DISTRIBUTION_SERVERS), schema,
        "auto".equals(format) ? null : MessageFormat.parse(format), KafkaSecurity.of(config).clientProperties());
    new DistributionTestConsumer(reader, System.out).run(read, maxAlerts, Duration.ofMillis((long) (exitAfter * 1000)));
    return 0;
  }

  /**
   * The cluster answers with these security settings, within seconds, before Spark starts: else a clear error (a TLS
   * mismatch, refused credentials, nobody there) instead of a Kafka source retrying until {@code --exit-after}.
   */
  private static void checkReachable(FinkConfig config) {
    Properties login = new Properties();
    login.putAll(KafkaSecurity.of(config).clientProperties());
    try (AdminRequests requests = AdminRequests.open(config.get(ConfigKey.DISTRIBUTION_SERVERS), login,
        Duration.ofSeconds(10), KafkaSetupException::new)) {
      requests.await(requests.admin().describeCluster().nodes(), "describing the cluster");
    }
  }

  /** The topic's schema: its {@code .avsc} file, else the latest published on the schema topic. */
  private static Schema schema(FinkConfig config, String topic) {
    Path file = SchemaFiles.forTopic(config.path(ConfigKey.DISTRIBUTION_SCHEMA),
        config.get(ConfigKey.DISTRIBUTION_TOPIC), topic);
    if (Files.isRegularFile(file)) {
      return SchemaFiles.read(file);
    }
    String schemaTopic = config.get(ConfigKey.DISTRIBUTION_SCHEMA_TOPIC);
    if (schemaTopic == null || schemaTopic.isBlank()) {
      throw new IllegalArgumentException("no schema file " + file + " for topic " + topic
          + ", and no schema topic configured (DISTRIBUTION_SCHEMA_TOPIC)");
    }
    Properties login = new Properties();
    login.putAll(KafkaSecurity.of(config).clientProperties());
    return new SchemaTopic(config.get(ConfigKey.DISTRIBUTION_SERVERS), schemaTopic, login)
        .latestFor(topic).orElseThrow(() -> new IllegalArgumentException("no schema for topic " + topic
            + ": neither " + file + " nor a record on the schema topic " + schemaTopic
            + "; run the distribution first"));
  }
}
