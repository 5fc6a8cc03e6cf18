package org.fink.distribution.spark;

import static org.fink.distribution.rules.Rules.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.avro.Schema;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distribution is planned, then run: the plan (topics, schemas) can be read without starting anything, and the
 * running distribution's handle owns its query and its progress listener, which go away however the run ends.
 */
class DistributionPlanTest {
  @TempDir static Path work;
  static SparkSession spark;
  static ScienceDb db;
  static String servers;

  @BeforeAll
  static void scienceDb() throws IOException {
    spark = TestSpark.session();
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    SyntheticAlerts.ztf(61).writeContainerFiles(work.resolve("alerts"), 6, 1);
    db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);
  }

  @Test
  void planShowsTopicsAndSchemasWithoutStartingAQueryOrReachingKafka() {
    DistributionRules rules = Rules.of(
        Rules.stream("bright").topic("plan-bright").filter(field("candidate.magpsf").lt(18))
            .select("objectId", "candid", "candidate.magpsf"),
        Rules.stream("all"));
    Path checkpoint = work.resolve("plan-checkpoint");
    Path schemaFile = work.resolve("plan-schemas/distribution_schema.avsc");
    Distribution distribution = Distribution.builder().spark(spark).scienceDb(db).rules(rules)
        .servers("127.0.0.1:1") // nothing listens there: planning must not contact Kafka
        .checkpoint(checkpoint.toString()).defaultTopic("plan-default").schemaFile(schemaFile).build();
    int listeners = spark.streams().listListeners().length;

    DistributionPlan plan = distribution.plan();

    assertEquals(List.of("plan-bright", "plan-default"), plan.topics());
    List<DistributionStream> streams = List.copyOf(plan.schemas().keySet());
    assertEquals(List.of("bright", "all"), streams.stream().map(DistributionStream::name).toList());
    Schema bright = plan.schemas().get(streams.get(0));
    assertEquals(List.of("objectId", "candid", "candidate"), bright.getFields().stream().map(Schema.Field::name)
        .toList(), "the stream's projection");
    assertTrue(plan.schemas().get(streams.get(1)).getField("prv_candidates") != null, "the whole alert");
    assertThrows(UnsupportedOperationException.class, () -> plan.schemas().put(streams.get(0), bright));
    assertEquals(Optional.of("candid"), plan.alertIdField());
    assertEquals(Optional.of(schemaFile), plan.schemaFile("plan-default"));
    assertEquals(Optional.of(schemaFile.resolveSibling("plan-bright.avsc")), plan.schemaFile("plan-bright"));

    assertTrue(Arrays.stream(spark.streams().active()).noneMatch(q -> DistributionQuery.NAME.equals(q.name())),
        "no query started");
    assertEquals(listeners, spark.streams().listListeners().length, "no listener added");
    assertFalse(Files.exists(checkpoint), "no checkpoint written");
    assertFalse(Files.exists(schemaFile), "no schema written");
  }

  @Test
  void closingTheHandleStopsTheQueryAndRemovesItsListener() throws Exception {
    String topic = topic();
    int listeners = spark.streams().listListeners().length;
    RunningDistribution running = distribution(topic, "close").start();
    try {
      assertTrue(running.isActive());
      assertEquals(listeners + 1, spark.streams().listListeners().length, "the handle listens to its query");
      await(() -> running.progress().messagesPublished() == 6, "the 6 alerts published");
    } finally {
      running.close();
    }
    assertFalse(running.isActive(), "stopped on close");
    assertEquals(listeners, spark.streams().listListeners().length, "its listener removed on close");
    assertEquals(6, running.progress().messagesPublished(), "the progress stays readable after the end");
  }

  @Test
  void aRunEndingWithoutTheHandleStillRemovesItsListener() throws Exception {
    String topic = topic();
    int listeners = spark.streams().listListeners().length;
    RunningDistribution running = distribution(topic, "stopped-outside").start();
    await(() -> running.progress().batches() >= 1, "a first batch");
    running.query().stop(); // not through the handle: Spark reports the end to the listener
    await(() -> spark.streams().listListeners().length == listeners, "the listener removed at the query's end");

    DistributionProgress.Summary once = distribution(topic, "once").runOnce();
    assertEquals(6, once.messagesPublished());
    assertEquals(listeners, spark.streams().listListeners().length, "runOnce leaves no listener behind");
  }

  private static Distribution distribution(String topic, String checkpoint) {
    return Distribution.builder().spark(spark).scienceDb(db).rules(Rules.of(Rules.stream("all"))).servers(servers)
        .defaultTopic(topic).schemaTopic(null).checkpoint(work.resolve("checkpoint-" + checkpoint).toString())
        .triggerSeconds(0.5).build();
  }

  private static String topic() {
    String topic = "handle-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 1, (short) 1);
    }
    return topic;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }
}
