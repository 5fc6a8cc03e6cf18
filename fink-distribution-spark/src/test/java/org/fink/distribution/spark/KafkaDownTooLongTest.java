package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka down for longer than the producer waits (max.block.ms, delivery.timeout.ms): the distribution stops with one
 * paragraph naming the servers, since when, and the fix (start the cluster or correct DISTRIBUTION_SERVERS, then start
 * again: the checkpoint resumes without loss), not Kafka's bare "not present in metadata after 60000 ms".
 */
class KafkaDownTooLongTest {
  private static final DistributionRules ALL = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));

  @TempDir Path work;

  @Test
  void aTimeoutOfTheTaskIsExplainedWithServersSinceAndFix() {
    long since = System.currentTimeMillis() - 61_000;
    RuntimeException spark = new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1"
        + " times", new KafkaUnansweredException("10.0.0.1:9092", since,
            new TimeoutException("Topic fink_outstream not present in metadata after 60000 ms.")));
    DistributionException e = DistributionException.failed(spark);
    assertExplained(e, "10.0.0.1:9092");
    assertTrue(e.getMessage().contains("not present in metadata after 60000 ms"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).* since \\d\\d:\\d\\d:\\d\\d UTC \\(6\\d s\\).*"), e.getMessage());

    // a timeout that did not come through the publishing task (e.g. a transaction's): no servers, the same fix
    DistributionException bare = DistributionException.failed(new RuntimeException("stage failure",
        new TimeoutException("Timeout expired after 60000ms while awaiting InitProducerId")));
    assertTrue(bare.getMessage().startsWith("distribution stopped: Kafka (DISTRIBUTION_SERVERS) did not answer"),
        bare.getMessage());
    assertEquals(KafkaProblem.Kind.UNREACHABLE, bare.kafkaProblem().orElseThrow().kind());
  }

  @Test
  void aBrokerDownLongerThanTheProducerWaitsStopsTheDistributionWithTheFix() throws Exception {
    SparkSession spark = TestSpark.session();
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
    String servers = broker.bootstrapServers();
    String topic = "down-" + UUID.randomUUID();
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    SyntheticAlerts generator = SyntheticAlerts.ztf(91);
    generator.writeContainerFiles(work.resolve("alerts-1"), 3, 1);
    new SurveyIngest(spark).ingest(work.resolve("alerts-1"), db);
    try (RunningDistribution running = Distribution.builder().spark(spark).scienceDb(db).rules(ALL)
        .servers(servers).defaultTopic(topic).checkpoint(work.resolve("checkpoint").toString()).schemaTopic(null)
        .triggerSeconds(1)
        // the producer waits 3 s for metadata and 5 s for acknowledgements, instead of 60 s and 120 s
        .kafkaOption("max.block.ms", "3000").kafkaOption("request.timeout.ms", "2000")
        .kafkaOption("delivery.timeout.ms", "5000").build().start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (running.progress().messagesPublished() < 3 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
      assertEquals(3, running.progress().messagesPublished(), "the first alerts published");

      broker.close(); // and it stays down
      generator.writeContainerFiles(work.resolve("alerts-2"), 3, 1);
      new SurveyIngest(spark).ingest(work.resolve("alerts-2"), db);
      DistributionException e = assertThrows(DistributionException.class, () -> {
        if (!running.awaitTermination(Duration.ofSeconds(60))) {
          throw new AssertionError("the distribution still runs 60 s after the broker stopped");
        }
      });
      assertExplained(e, servers);
    } finally {
      broker.close();
    }
  }

  private static void assertExplained(DistributionException e, String servers) {
    String message = e.getMessage();
    assertTrue(message.startsWith("distribution stopped: Kafka at " + servers + " (DISTRIBUTION_SERVERS) did not"
        + " answer since "), message);
    assertTrue(message.contains("Start the cluster or correct DISTRIBUTION_SERVERS, then start"
        + " the distribution again: it resumes from its checkpoint and loses no alert"), message);
    assertFalse(message.contains("\tat ") || message.contains("\n"), "one paragraph: " + message);
    assertEquals(KafkaProblem.Kind.UNREACHABLE, e.kafkaProblem().orElseThrow().kind());
    assertEquals(servers, e.kafkaProblem().orElseThrow().servers());
  }
}
