package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker outage in the middle of a streaming distribution: the service says (WARN, once per interval) that it is
 * waiting for Kafka and since when, instead of staying silent; after the broker is back, every alert is in the topic.
 */
class KafkaOutageTest {
  private static final DistributionRules ALL = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));
  @TempDir Path work;

  /** The WARN lines of {@link KafkaWaitLog}. */
  static final class Captured extends AbstractAppender {
    final List<String> lines = new CopyOnWriteArrayList<>();

    Captured() {
      super("kafka-wait-capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      if (event.getLoggerName().equals(KafkaWaitLog.class.getName())) {
        lines.add(event.getMessage().getFormattedMessage());
      }
    }
  }

  @Test
  void theDistributionSaysItWaitsForKafkaAndLosesNothingAfterRestart() throws Exception {
    SparkSession spark = TestSpark.session();
    Path kafkaData = work.resolve("kafka");
    EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDir(kafkaData).build().start();
    String servers = first.bootstrapServers();
    String topic = "outage-" + UUID.randomUUID();
    Properties admin = new Properties();
    admin.put("bootstrap.servers", servers);
    try (Admin a = Admin.create(admin)) {
      a.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    SyntheticAlerts generator = SyntheticAlerts.ztf(77);
    generator.writeContainerFiles(work.resolve("alerts-1"), 5, 1);
    new SurveyIngest(spark).ingest(work.resolve("alerts-1"), db);

    Captured captured = new Captured();
    captured.start();
    LoggerContext context = LoggerContext.getContext(false);
    Configuration config = context.getConfiguration();
    config.addAppender(captured);
    config.getRootLogger().addAppender(captured, Level.WARN, null);
    context.updateLoggers();
    EmbeddedKafkaBroker second = null;
    try (RunningDistribution running = Distribution.builder().spark(spark).scienceDb(db).rules(ALL)
        .servers(servers).defaultTopic(topic).checkpoint(work.resolve("checkpoint").toString()).schemaTopic(null)
        .triggerSeconds(1).build().start()) {
      await(() -> running.progress().messagesPublished() >= 5, Duration.ofSeconds(60), "first alerts published");

      first.close(); // the broker goes down; its data folder stays
      long down = System.nanoTime();
      generator.writeContainerFiles(work.resolve("alerts-2"), 5, 1);
      new SurveyIngest(spark).ingest(work.resolve("alerts-2"), db);
      Pattern line = Pattern.compile("waiting for Kafka at " + Pattern.quote(servers)
          + " since \\d\\d:\\d\\d:\\d\\d UTC \\(\\d+ s\\): \\d+ messages not acknowledged yet.*");
      await(() -> captured.lines.stream().anyMatch(l -> line.matcher(l).matches()), Duration.ofSeconds(60),
          "the wait is logged");
      long outageSeconds = (System.nanoTime() - down) / 1_000_000_000L;
      assertTrue(captured.lines.size() <= outageSeconds / KafkaWaitLog.INTERVAL.toSeconds() + 1,
          "once per interval, not per record: " + captured.lines.size() + " lines in " + outageSeconds + " s");

      second = EmbeddedKafkaBroker.builder().port(first.port()).controllerPort(first.controllerPort())
          .dataDir(kafkaData).build().start();
      await(() -> running.progress().messagesPublished() >= 10, Duration.ofSeconds(150),
          "the alerts of the outage published once the broker is back");
    } finally {
      config.getRootLogger().removeAppender(captured.getName());
      context.updateLoggers();
    }
    try {
      Set<String> ids = alertIds(servers, topic, 10);
      assertEquals(10, ids.size(), "every alert in the topic: " + ids);
    } finally {
      second.close();
    }
  }

  private static Set<String> alertIds(String servers, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ids.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Header id = record.headers().lastHeader(AlertHeaders.ALERT_ID);
          ids.add(id == null ? "none" : new String(id.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return ids;
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    }
  }

  static List<String> copy(List<String> lines) {
    return new ArrayList<>(lines);
  }
}
