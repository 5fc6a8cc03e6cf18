package org.fink.distribution.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.distribution.spark.AlertTopicReader;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.DistributionTestConsumer;
import org.fink.distribution.spark.DryRun;
import org.fink.distribution.spark.KafkaIngest;
import org.fink.distribution.spark.LiveChain;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.SurveyIngest;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.fink.kafka.admin.LocalClusterSpec;
import org.fink.kafka.admin.LocalKafkaCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fink demo}: the whole chain on this machine, nothing to install. Starts a local Kafka broker, writes
 * synthetic ZTF-like alerts, ingests them, distributes them with the configured rules
 * ({@code DISTRIBUTION_RULES_XML}), reads the topic back and prints the decoded alerts, then stops the broker.
 * Everything it writes is under {@code $FINK_HOME/run/demo}.
 *
 * <p>{@code --live}: the live chain instead ({@link LiveChain}): the synthetic alerts are replayed in visits to a
 * survey topic ({@link SurveyReplayer}), ingested from Kafka ({@link KafkaIngest}), distributed and read by a consumer
 * as they come; it prints each alert's latency (p50, p99, max) from its survey message's timestamp to its read.
 */
@Command(name = "demo", description = "run ingest, distribution and the test consumer end to end on sample alerts")
final class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--alerts", paramLabel = "N", defaultValue = "200",
      description = "synthetic alerts to generate (default ${DEFAULT-VALUE})")
  int alerts;

  @Option(names = "--live",
      description = "run the live chain: replay the alerts in visits to a survey topic, ingest from Kafka, distribute,"
          + " consume, and print the end-to-end latency per alert")
  boolean live;

  @Option(names = "--visits", paramLabel = "V", defaultValue = "2",
      description = "with --live: visits of --alerts alerts each (default ${DEFAULT-VALUE})")
  int visits;

  @Option(names = "--every", paramLabel = "PERIOD", defaultValue = "10s",
      description = "with --live: time between two visits (default ${DEFAULT-VALUE})")
  String every;

  @Override
  public Integer call() throws IOException {
    if (live) {
      ReplayPace.parse(null, alerts, every); // a wrong --every is named before anything starts
    }
    requireLocalKafka();
    FinkConfig base = options.load();
    Path demo = base.path(ConfigKey.FINK_HOME).resolve("run/demo");
    deleteRecursively(demo);
    int port = LocalClusterSpec.freePort(1);
    FinkConfig config = base.with(Map.of(
        ConfigKey.SCIENCE_DB_PATH, demo.resolve("science_db").toString(),
        ConfigKey.FINK_ALERT_CHECKPOINT_KAFKA, demo.resolve("checkpoint").toString(),
        ConfigKey.DISTRIBUTION_SCHEMA, demo.resolve("schemas/distribution_schema.avsc").toString(),
        ConfigKey.KAFKA_LOCAL_DATA, demo.resolve("kafka").toString(),
        ConfigKey.KAFKA_LOCAL_PORT, String.valueOf(port),
        ConfigKey.DISTRIBUTION_SERVERS, "127.0.0.1:" + port,
        ConfigKey.DISTRIBUTION_OFFSET, "earliest",
        ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL, "PLAINTEXT"));
    LocalKafkaCluster cluster = new LocalKafkaCluster(
        new LocalClusterSpec(port, config.path(ConfigKey.KAFKA_LOCAL_DATA), 1));
    step("starting a local Kafka broker");
    String servers = cluster.start().bootstrapServers();
    try {
      String topic = config.get(ConfigKey.DISTRIBUTION_TOPIC);
      try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
        admin.createTopic(topic, 2, (short) 1);
      }
      step("Kafka on " + servers + ", topic " + topic);
      if (live) {
        live(demo, config, servers);
        return 0;
      }

      Path alertFiles = demo.resolve("alerts");
      SyntheticAlerts.ztf(SyntheticAlerts.DEFAULT_SEED).writeContainerFiles(alertFiles, alerts, 1);
      step(alerts + " synthetic ZTF alerts written to " + alertFiles);

      SparkSession spark = SparkSessions.of(config, "fink-demo");
      ScienceDb db = ScienceDb.of(spark, config);
      long ingested = new SurveyIngest(spark).ingest(alertFiles, db);
      step(ingested + " alerts ingested into the science database " + db.path());

      Distribution distribution = Distribution.builder().config(spark, config).build();
      long expected = DryRun.of(db, distribution.rules()).passed().values().stream().mapToLong(n -> n).sum();
      step("distributing with " + config.get(ConfigKey.DISTRIBUTION_RULES_XML) + ": " + expected
          + " alerts pass the filter");
      distribution.runOnce();
      Path schemaFile = config.path(ConfigKey.DISTRIBUTION_SCHEMA);
      step("published; schema written to " + schemaFile);

      step("reading topic " + topic + " back (distribution_test)");
      AlertTopicReader reader = new AlertTopicReader(spark, servers, SchemaFiles.read(schemaFile),
          config.messageFormat());
      long read = new DistributionTestConsumer(reader, System.out).run(topic, expected, Duration.ofSeconds(120));
      if (read != expected) {
        throw new IllegalStateException("the demo read " + read + " alerts back but " + expected + " were published");
      }
      step("demo done: " + read + " alerts published and decoded");
    } finally {
      cluster.stop();
      step("local Kafka broker stopped");
    }
    return 0;
  }

  /** Replay in visits -> Kafka ingest -> distribution -> consumer, and the latencies. */
  private void live(Path demo, FinkConfig config, String servers) throws IOException {
    if (visits < 1 || alerts < 1) {
      throw new IllegalArgumentException("--live needs --alerts and --visits above 0");
    }
    String surveyTopic = "ztf_alerts_demo";
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(surveyTopic, 2, (short) 1);
    }
    SyntheticAlerts generator = SyntheticAlerts.ztf(SyntheticAlerts.DEFAULT_SEED);
    int warmAlerts = Math.min(20, alerts);
    generator.writeContainerFiles(demo.resolve("warm-up"), warmAlerts, 1);
    generator.writeContainerFiles(demo.resolve("alerts"), alerts * visits, 1);
    List<SurveyReplayer.Message> warmUp = SurveyReplayer.read(demo.resolve("warm-up"), Survey.ZTF);
    List<SurveyReplayer.Message> measured = SurveyReplayer.read(demo.resolve("alerts"), Survey.ZTF);
    ReplayPace pace = ReplayPace.parse(null, alerts, every); // visits of --alerts alerts, --every apart
    step(warmAlerts + " warm-up and " + measured.size() + " synthetic ZTF alerts written; survey topic "
        + surveyTopic);

    FinkConfig liveConfig = config.with(Map.of(ConfigKey.FINK_TRIGGER_UPDATE, "0.5"));
    SparkSession spark = SparkSessions.of(liveConfig, "fink-demo-live");
    ScienceDb db = ScienceDb.of(spark, liveConfig);
    KafkaIngest ingest = KafkaIngest.builder().spark(spark).scienceDb(db).survey(Survey.ZTF, null)
        .servers(servers).topics(surveyTopic).checkpoint(demo.resolve("ingest-checkpoint").toString())
        .quarantine(demo.resolve("quarantine")).triggerSeconds(0.5).build();
    LiveChain chain = new LiveChain(ingest, () -> Distribution.builder().config(spark, liveConfig).build(),
        new SurveyReplayer(servers, new java.util.Properties()), surveyTopic, servers);
    step("replaying " + visits + " visits of " + alerts + " alerts every " + every + " -> Kafka ingest -> "
        + "distribution (" + config.get(ConfigKey.DISTRIBUTION_RULES_XML) + ") -> consumer");
    LiveChain.Result result;
    try {
      result = chain.run(warmUp, measured, pace, Duration.ofMinutes(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the live demo was interrupted", e);
    }
    step(result.replayed() + " alerts replayed, " + result.published() + " community messages published and read");
    for (int i = 0; i < result.perVisit().size(); i++) {
      step("visit " + (i + 1) + ": " + result.perVisit().get(i));
    }
    step("end-to-end latency (survey message timestamp -> read by the consumer): " + result.latency());
  }

  /**
   * The demo starts a Kafka broker in this JVM: the spark-submit jar (fink-spark-submit.jar) does not carry the broker,
   * so say so rather than fail with a NoClassDefFoundError.
   */
  static void requireLocalKafka() {
    try {
      Class.forName("org.fink.kafka.admin.LocalKafkaCluster", false, DemoCommand.class.getClassLoader());
      Class.forName("kafka.server.KafkaRaftServer", false, DemoCommand.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("fink demo starts a local Kafka broker, which this jar does not carry (the"
          + " spark-submit jar is for start distribution, start ingest, start distribution_test and rules):"
          + " run the demo with bin/fink demo");
    }
  }

  private static void step(String text) {
    System.out.println("[demo] " + text);
    System.out.flush();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
