package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.KafkaProblem;
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
    assertEquals(KafkaProblem.Kind.UNREACHABLE, e.kafkaProblem().orElseThrow().kind());
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "reported within seconds");
  }

  @Test
  void missingTopicIsNamed() {
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distribution("no-such-topic").build().runOnce());
    assertTrue(e.getMessage().contains("no-such-topic"), e.getMessage());
    assertTrue(e.getMessage().contains("create it first"), e.getMessage());
    assertEquals(KafkaProblem.Kind.UNKNOWN_TOPIC, e.kafkaProblem().orElseThrow().kind());
    assertEquals("no-such-topic", e.kafkaProblem().orElseThrow().topic());
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
    ScienceDbMissingException e = assertThrows(ScienceDbMissingException.class,
        () -> distribution("t").scienceDb(missing).build().runOnce());
    assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("ingest"), e.getMessage());
    assertTrue(e.path().endsWith("nowhere"), e.path());
  }

  @Test
  void corruptParquetFileIsNamed() throws Exception {
    Path copy = copyOfDb("db-corrupt");
    Path night = firstNight(copy);
    Path corrupt = night.resolve("part-corrupt.parquet");
    Files.write(corrupt, "this is not parquet".getBytes());
    String topic = topic(Map.of());
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> distribution(topic).scienceDb(new ScienceDb(spark, copy.toString(), "parquet")).build().runOnce());
    assertTrue(e.getMessage().contains("part-corrupt.parquet"), e.getMessage());
  }

  /**
   * A new file whose {@code candidate.magpsf} is a string (it was a float): the stream's schema cannot hold both, and
   * the error names the field and the file, before anything is published.
   */
  @Test
  void typeChangeInNewScienceDbFilesNamesTheFieldAndTheFile() throws Exception {
    Path copy = copyOfDb("db-type-change");
    Path night = firstNight(copy);
    Path written = work.resolve("type-change-out");
    spark.read().parquet(night.toString()).limit(1)
        .withColumn("candidate", col("candidate").withField("magpsf", col("candidate.magpsf").cast("string")))
        .coalesce(1).write().parquet(written.toString());
    try (Stream<Path> files = Files.list(written)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.move(part, night.resolve("part-magpsf-as-string.parquet"));
    }
    String topic = topic(Map.of());
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> distribution(topic).scienceDb(new ScienceDb(spark, copy.toString(), "parquet")).build().runOnce());
    assertTrue(e.getMessage().matches("the science database at " + copy + " changed a field's type: candidate.magpsf"
        + " is float in \\d+ files? \\(e\\.g\\. night=.*\\) but string in 1 file:"
        + " night=[0-9-]+/part-magpsf-as-string\\.parquet; .*"), e.getMessage());
    assertEquals(0, DistributionEndToEndTest.consume(servers, topic, 0).size(), "nothing published");
  }

  /**
   * The same type change landing while the distribution runs: the query stops at the batch that reads the file, and
   * the one-paragraph error names the file and the column (Spark's own words, without its plan and stack traces).
   */
  @Test
  void typeChangeLandingWhileRunningNamesTheFieldAndTheFile() throws Exception {
    Path copy = copyOfDb("db-type-change-running");
    Path night = firstNight(copy);
    String topic = topic(Map.of());
    Distribution distribution = distribution(topic).scienceDb(new ScienceDb(spark, copy.toString(), "parquet"))
        .triggerSeconds(0.5).build();
    try (RunningDistribution running = distribution.start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (running.progress().batches() < 1 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
      long published = running.progress().messagesPublished();
      Path written = work.resolve("type-change-running-out");
      spark.read().parquet(night.toString()).limit(1)
          .withColumn("candidate", col("candidate").withField("magpsf", col("candidate.magpsf").cast("string")))
          .coalesce(1).write().parquet(written.toString());
      try (Stream<Path> files = Files.list(written)) {
        Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.move(part, night.resolve("part-late-magpsf-as-string.parquet"));
      }
      DistributionException e = assertThrows(DistributionException.class,
          () -> running.awaitTermination(Duration.ofSeconds(60)));
      String message = e.getMessage();
      assertTrue(message.contains("part-late-magpsf-as-string.parquet"), message);
      assertTrue(message.contains("magpsf"), message);
      assertTrue(!message.contains("=== Streaming Query ===") && !message.contains("\tat "), message);
      assertEquals(published, DistributionEndToEndTest.consume(servers, topic, (int) published).size(),
          "only the batch before the change");
    }
  }

  /**
   * Disk full for the checkpoint folder: a real small file system (tmpfs of 512 KiB, mounted when the tests run as
   * root), filled up, holds the checkpoint; the error names the folder and the disk's state before anything is
   * published. Where mounting is not allowed, a checkpoint folder that cannot be created (its parent is a file)
   * stands in for it.
   */
  @Test
  void fullDiskForTheCheckpointIsNamedBeforePublishing() throws Exception {
    Path disk = Files.createDirectories(work.resolve("full-disk"));
    boolean mounted = SmallDisk.mount(disk);
    try {
      String topic = topic(Map.of());
      Path checkpoint;
      String reason;
      if (mounted) {
        SmallDisk.fill(disk);
        checkpoint = disk.resolve("checkpoint");
        reason = "No space left on device";
      } else {
        Path file = Files.writeString(work.resolve("not-a-folder"), "a file");
        checkpoint = file.resolve("checkpoint");
        reason = "not-a-folder";
      }
      DistributionException e = assertThrows(DistributionException.class,
          () -> distribution(topic).checkpoint(checkpoint.toString()).build().runOnce());
      assertTrue(e.getMessage().startsWith("cannot write to the checkpoint folder " + checkpoint
          + " (FINK_ALERT_CHECKPOINT_KAFKA): "), e.getMessage());
      assertTrue(e.getMessage().contains(reason), e.getMessage());
      assertEquals(0, DistributionEndToEndTest.consume(servers, topic, 0).size(), "nothing published");
    } finally {
      if (mounted) {
        SmallDisk.unmount(disk);
      }
    }
  }

  /**
   * The checkpoint's disk fills up while the distribution runs: the query stops at the next batch with a one-paragraph
   * error saying so (not Spark's pages), and what was published before stays.
   */
  @Test
  void diskFillingUpWhileRunningStopsWithAClearError() throws Exception {
    Path disk = Files.createDirectories(work.resolve("filling-disk"));
    assumeTrue(SmallDisk.mount(disk), "mounting a tmpfs is not allowed here (needs root): the full-at-start test"
        + " covers the checkpoint check");
    RunningDistribution running = null;
    try {
      ScienceDb growing = new ScienceDb(spark, work.resolve("db-growing").toString(), "parquet");
      SyntheticAlerts.ztf(51).writeContainerFiles(work.resolve("alerts-51"), 3, 1);
      new SurveyIngest(spark).ingest(work.resolve("alerts-51"), growing);
      String topic = topic(Map.of());
      Distribution distribution = distribution(topic).scienceDb(growing)
          .checkpoint(disk.resolve("checkpoint").toString()).triggerSeconds(0.5).build();
      running = distribution.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (running.progress().alertsRead() < 3 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
      SmallDisk.fill(disk);
      SyntheticAlerts.ztf(53).writeContainerFiles(work.resolve("alerts-53"), 3, 1);
      new SurveyIngest(spark).ingest(work.resolve("alerts-53"), growing);
      RunningDistribution run = running;
      DistributionException e = assertThrows(DistributionException.class,
          () -> run.awaitTermination(Duration.ofSeconds(60)));
      String message = e.getMessage();
      assertTrue(message.startsWith("distribution failed: no space left on device"), message);
      assertTrue(message.contains("FINK_ALERT_CHECKPOINT_KAFKA") && !message.contains("\n"), message);
      assertEquals(3, DistributionEndToEndTest.consume(servers, topic, 3).size(), "the first batch stays");
    } finally {
      if (running != null) {
        running.close();
      }
      SmallDisk.unmount(disk);
    }
  }

  private static Path copyOfDb(String name) throws IOException {
    Path copy = work.resolve(name);
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
    return copy;
  }

  private static Path firstNight(Path dbFolder) throws IOException {
    try (Stream<Path> entries = Files.list(dbFolder)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("night=")).sorted().findFirst().orElseThrow();
    }
  }
}
