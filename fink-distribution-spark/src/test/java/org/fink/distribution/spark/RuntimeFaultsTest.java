package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of a running service, each named with the folder or file, what happened and the fix: a damaged checkpoint
 * file, a second distribution on the same checkpoint, the science database removed during a streaming run.
 */
class RuntimeFaultsTest {
  private static final DistributionRules ALL = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));
  @TempDir static Path work;
  static SparkSession spark;
  static String servers;

  @BeforeAll
  static void broker() {
    spark = TestSpark.session();
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
  }

  private static ScienceDb scienceDb(String name, int alerts) throws IOException {
    return scienceDb(name, alerts, 1);
  }

  /** A science database of {@code ingests} ingests (one Parquet file at least each). */
  private static ScienceDb scienceDb(String name, int alerts, int ingests) throws IOException {
    ScienceDb db = new ScienceDb(spark, work.resolve("db-" + name).toString(), "parquet");
    SyntheticAlerts generator = SyntheticAlerts.ztf(name.hashCode());
    for (int i = 0; i < ingests; i++) {
      Path files = work.resolve("alerts-" + name + "-" + i);
      generator.writeContainerFiles(files, alerts, 1);
      new SurveyIngest(spark).ingest(files, db);
    }
    return db;
  }

  private static Distribution.Builder distribution(ScienceDb db, Path checkpoint) throws Exception {
    String topic = "faults-" + UUID.randomUUID();
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    return Distribution.builder().spark(spark).scienceDb(db).rules(ALL).servers(servers).defaultTopic(topic)
        .checkpoint(checkpoint.toString()).schemaTopic(null);
  }

  @Test
  void aDamagedCheckpointFileIsNamedWithTheFix() throws Exception {
    ScienceDb db = scienceDb("checkpoint", 5);
    Path checkpoint = work.resolve("checkpoint-damaged");
    Distribution distribution = distribution(db, checkpoint).build();
    distribution.runOnce();

    Path offsets = checkpoint.resolve("offsets/0");
    byte[] original = Files.readAllBytes(offsets);
    Files.write(offsets, new byte[] {'v', '1', '\n', (byte) 0xC3, (byte) 0x28});
    DistributionException binary = assertThrows(DistributionException.class, distribution::runOnce);
    assertTrue(binary.getMessage().startsWith("the checkpoint folder " + checkpoint + " (FINK_ALERT_CHECKPOINT_KAFKA)"
        + " holds a damaged file, offsets/0: it is not UTF-8 text"), binary.getMessage());
    assertTrue(binary.getMessage().contains("delete offsets/0 and commits/0"), binary.getMessage());

    Files.write(offsets, original);
    Files.writeString(checkpoint.resolve("commits/0"), "v1\n{nope", StandardCharsets.UTF_8);
    DistributionException json = assertThrows(DistributionException.class, distribution::runOnce);
    assertTrue(json.getMessage().contains("commits/0: line 2 is not JSON (Unexpected character"),
        json.getMessage());

    Files.writeString(checkpoint.resolve("metadata"), "{\"id\":", StandardCharsets.UTF_8);
    Files.delete(checkpoint.resolve("commits/0"));
    DistributionException metadata = assertThrows(DistributionException.class, distribution::runOnce);
    assertTrue(metadata.getMessage().contains("damaged file, metadata: line 1 is not JSON"), metadata.getMessage());
    assertTrue(metadata.getMessage().contains("move the folder aside to start a new checkpoint"),
        metadata.getMessage());
  }

  @Test
  void aSecondDistributionOnTheSameCheckpointIsRefusedWithTheFirstOnesPid() throws Exception {
    ScienceDb db = scienceDb("twice", 5);
    Path checkpoint = work.resolve("checkpoint-twice");
    try (RunningDistribution first = distribution(db, checkpoint).triggerSeconds(1).build().start()) {
      Distribution second = distribution(db, checkpoint).build();
      DistributionException e = assertThrows(DistributionException.class, second::runOnce);
      assertTrue(e.getMessage().startsWith("another distribution is running on the checkpoint " + checkpoint
          + " (pid " + ProcessHandle.current().pid() + ", since "), e.getMessage());
      assertTrue(e.getMessage().contains("FINK_ALERT_CHECKPOINT_KAFKA"), e.getMessage());
      assertTrue(first.isActive(), "the first one runs on");
    }
    // released when the first ended: a new run on the checkpoint starts
    distribution(db, checkpoint).build().runOnce();
  }

  @Test
  void theScienceDatabaseRemovedDuringAStreamingRunIsNamed() throws Exception {
    ScienceDb db = scienceDb("removed", 2, 4);
    Path checkpoint = work.resolve("checkpoint-removed");
    // one file per micro-batch, every 3 s: files listed but not read yet when the database goes
    try (RunningDistribution running = distribution(db, checkpoint).triggerSeconds(3).maxFilesPerTrigger(1).build()
        .start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (running.progress().alertsRead() == 0 && System.nanoTime() < deadline) {
        running.awaitTermination(Duration.ofMillis(100));
      }
      assertTrue(running.progress().alertsRead() > 0 && running.progress().alertsRead() < 8, running.progress()
          .toString());
      try (Stream<Path> files = Files.walk(Path.of(db.path()))) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      DistributionException e = assertThrows(DistributionException.class,
          () -> running.awaitTermination(Duration.ofSeconds(60)));
      assertTrue(e.getMessage().contains("the science database " + db.path() + " (SCIENCE_DB_PATH) is gone"),
          e.getMessage());
      assertTrue(e.getMessage().contains("Restore it (from a backup) and start the distribution again"),
          e.getMessage());
    }
  }
}
