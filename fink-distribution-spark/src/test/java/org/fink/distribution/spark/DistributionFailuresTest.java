package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.kafka.KafkaSetupException;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad settings and bad data: each a clear error naming the culprit, found before anything is published. */
class DistributionFailuresTest {
  private static final DistributionRules ALL = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));

  @TempDir static Path work;
  static SparkSession spark;
  static ScienceDb db;
  static String servers;

  @BeforeAll
  static void scienceDb() throws IOException {
    spark = TestSpark.session();
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    SyntheticAlerts.ztf(31).writeContainerFiles(work.resolve("alerts"), 10, 1);
    db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);
  }

  private static Distribution.Builder distribution(String topic) {
    return Distribution.builder().spark(spark).scienceDb(db).rules(ALL).servers(servers).defaultTopic(topic)
        .checkpoint(work.resolve("checkpoint-" + UUID.randomUUID()).toString()).schemaTopic(null);
  }

  private static String topic(Map<String, String> configs) throws Exception {
    String topic = "failures-" + UUID.randomUUID();
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all().get();
    }
    return topic;
  }

  @Test
  void unreachableKafkaIsReportedWithinSeconds() {
    long start = System.nanoTime();
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distribution("t").servers("127.0.0.1:1").build().runOnce());
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "reported within seconds");
  }

  @Test
  void missingTopicIsNamed() {
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distribution("no-such-topic").build().runOnce());
    assertTrue(e.getMessage().contains("no-such-topic"), e.getMessage());
    assertTrue(e.getMessage().contains("--create-topic"), e.getMessage());
  }

  @Test
  void alertLargerThanTheTopicTakesIsReportedNotDropped() throws Exception {
    String topic = topic(Map.of("max.message.bytes", "20000"));
    DistributionException e = assertThrows(DistributionException.class,
        () -> distribution(topic).build().runOnce());
    assertTrue(e.getMessage().matches("(?s).*alert \\d+ is \\d+ bytes once encoded for topic " + topic + ".*"),
        e.getMessage());
    assertEquals(0, DistributionEndToEndTest.consume(servers, topic, 0).size(), "nothing published");
  }

  @Test
  void unknownFieldStopsEverythingBeforePublishing() throws Exception {
    String topic = topic(Map.of());
    DistributionRules typo = new DistributionRules(List.of(new DistributionStream("typo", null, List.of(),
        List.of(), List.of(new Comparison(FieldPath.of("candidate.magpfs"), Operator.LT, Literal.of(18.0))))));
    RuleException e = assertThrows(RuleException.class, () -> distribution(topic).rules(typo).build().runOnce());
    assertTrue(e.getMessage().contains("candidate.magpsf"), e.getMessage());
    assertEquals(0, DistributionEndToEndTest.consume(servers, topic, 0).size());
  }

  @Test
  void missingScienceDbIsNamed() {
    ScienceDb missing = new ScienceDb(spark, work.resolve("nowhere").toString(), "parquet");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> distribution("t").scienceDb(missing).build().runOnce());
    assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("ingest"), e.getMessage());
  }

  @Test
  void corruptParquetFileIsNamed() throws Exception {
    Path copy = work.resolve("db-corrupt");
    try (Stream<Path> files = Files.walk(Path.of(db.path()))) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(Path.of(db.path()).relativize(file));
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    Path night = Files.list(copy).filter(p -> p.getFileName().toString().startsWith("night=")).findFirst()
        .orElseThrow();
    Path corrupt = night.resolve("part-corrupt.parquet");
    Files.write(corrupt, "this is not parquet".getBytes());
    String topic = topic(Map.of());
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> distribution(topic).scienceDb(new ScienceDb(spark, copy.toString(), "parquet")).build().runOnce());
    assertTrue(e.getMessage().contains("part-corrupt.parquet"), e.getMessage());
  }
}
