package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.fink.distribution.cli.FinkCommandTest.Run;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fink start distribution} on runtime faults, as a user meets them: a damaged checkpoint file, a second
 * distribution on the same checkpoint. stderr names the file or folder and the fix, without a stack frame.
 */
class RuntimeErrorsCliTest {
  @TempDir Path work;

  @Test
  void aDamagedCheckpointAndARunningDistributionAreNamedWithoutATrace() throws Exception {
    Path alerts = Files.createDirectories(work.resolve("alerts"));
    for (Path file : SharedData.avroFiles(SharedData.ztfAlerts()).subList(0, 3)) {
      Files.copy(file, alerts.resolve(file.getFileName()));
    }
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String topic = "runtime-errors-" + UUID.randomUUID();
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    Path checkpoint = work.resolve("checkpoint");
    Path conf = Files.writeString(work.resolve("fink.conf"), String.join("\n",
        "SCIENCE_DB_PATH=" + work.resolve("db"), "DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_TOPIC=" + topic,
        "DISTRIBUTION_SCHEMA=" + work.resolve("schema.avsc"), "DISTRIBUTION_SCHEMA_TOPIC=",
        "DISTRIBUTION_RULES_XML=" + ConfigOptions.finkHome().resolve("conf/distribution-rules.xml"),
        "FINK_ALERT_CHECKPOINT_KAFKA=" + checkpoint, ""));
    Run ingest = FinkCommandTest.fink("start", "ingest", "--conf", conf.toString(), "--alerts", alerts.toString());
    assertEquals(0, ingest.exitCode(), ingest.err());
    Run first = FinkCommandTest.fink("start", "distribution", "--once", "--conf", conf.toString());
    assertEquals(0, first.exitCode(), first.out() + first.err());

    Files.write(checkpoint.resolve("offsets/0"), new byte[] {'v', '1', '\n', (byte) 0xC3, (byte) 0x28});
    Run damaged = FinkCommandTest.fink("start", "distribution", "--once", "--conf", conf.toString());
    assertEquals(1, damaged.exitCode(), damaged.out() + damaged.err());
    assertTrue(damaged.err().startsWith("fink: the checkpoint folder " + checkpoint
        + " (FINK_ALERT_CHECKPOINT_KAFKA) holds a damaged file, offsets/0: it is not UTF-8 text"), damaged.err());
    assertTrue(damaged.err().contains("delete offsets/0 and commits/0"), damaged.err());
    assertFalse(damaged.err().contains("\tat "), damaged.err());

    Path lockFile = checkpoint.resolve("_fink_distribution.lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap("pid 4242, since 2026-12-05T18:02:11Z\n".getBytes(StandardCharsets.UTF_8)));
      Run twice = FinkCommandTest.fink("start", "distribution", "--once", "--conf", conf.toString());
      assertEquals(1, twice.exitCode(), twice.out() + twice.err());
      assertTrue(twice.err().startsWith("fink: another distribution is running on the checkpoint " + checkpoint
          + " (pid 4242, since 2026-12-05T18:02:11Z"), twice.err());
      assertFalse(twice.err().contains("\tat "), twice.err());
    }
  }
}
