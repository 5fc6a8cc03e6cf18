package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fink replay} then {@code fink start ingest --from-kafka --once}, as a user runs them; their option errors. */
class LiveIngestCliTest {
  @TempDir Path work;

  @Test
  void replayedAlertsAreIngestedFromKafka() throws Exception {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String topic = "cli-survey-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 1, (short) 1);
    }
    SyntheticAlerts.ztf(31).writeContainerFiles(work.resolve("alerts"), 8, 2);
    Path conf = Files.writeString(work.resolve("fink.conf"), "SCIENCE_DB_PATH=" + work.resolve("db") + "\n"
        + "INGEST_KAFKA_SERVERS=" + servers + "\nINGEST_KAFKA_TOPICS=" + topic + "\n"
        + "INGEST_CHECKPOINT=" + work.resolve("cp") + "\nINGEST_QUARANTINE=" + work.resolve("q") + "\n");

    Run replay = FinkCommandTest.fink("replay", "--conf", conf.toString(), "--alerts",
        work.resolve("alerts").toString(), "--topic", topic, "--visit", "4", "--every", "1ms");
    assertEquals(0, replay.exitCode(), replay.out() + replay.err());
    assertTrue(replay.out().contains("8 messages sent to " + topic + " in 2 visits"), replay.out());

    Run ingest = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--from-kafka", "--once");
    assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());
    assertTrue(ingest.out().contains("8 alerts read from " + topic), ingest.out());
    assertTrue(ingest.out().contains("0 bad messages quarantined"), ingest.out());
    assertTrue(Files.isDirectory(work.resolve("db")), "science database written");
  }

  @Test
  void optionErrorsAreNamedBeforeAnythingStarts() throws Exception {
    Path conf = Files.writeString(work.resolve("fink.conf"), "SCIENCE_DB_PATH=" + work.resolve("db") + "\n");
    Run both = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--from-kafka", "--alerts",
        work.toString());
    assertEquals(2, both.exitCode(), both.err());
    assertTrue(both.err().contains("--alerts and --from-kafka are exclusive"), both.err());

    Run noTopics = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--from-kafka");
    assertEquals(1, noTopics.exitCode(), noTopics.err());
    assertTrue(noTopics.err().contains("INGEST_KAFKA_SERVERS is not set"), noTopics.err());
    assertFalse(noTopics.err().contains("\tat "), noTopics.err());

    Run pace = FinkCommandTest.fink("replay", "--conf", conf.toString(), "--alerts", work.toString(), "--topic",
        "t", "--rate", "5", "--visit", "3", "--every", "1s");
    assertEquals(2, pace.exitCode(), pace.err());
    assertTrue(pace.err().contains("--rate and --visit/--every are exclusive"), pace.err());

    Run every = FinkCommandTest.fink("replay", "--conf", conf.toString(), "--alerts", work.toString(), "--topic",
        "t", "--visit", "3", "--every", "soon");
    assertEquals(2, every.exitCode(), every.err());
    assertTrue(every.err().contains("--every soon: not a period; write 30s, 500ms or 2m"), every.err());
  }
}
