package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.testkit.DownloadFolder;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fink consume --output} in its own JVM, killed with SIGKILL three times during the download, then run to the
 * end: the files hold every alert of the topic once, none lost, none twice. Without a group (a killed member would
 * hold a group's partitions for its 45 s session timeout): the files alone say where to resume.
 */
class DownloadKillTest {
  private static final int ALERTS = 6000;

  @TempDir
  Path dir;

  @Test
  void aDownloadKilledThreeTimesLosesNothingAndRepeatsNothing() throws Exception {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String topic = "download-kill-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 3, (short) 1);
    }
    Schema schema = SchemaBuilder.record("alert").fields().requiredString("objectId").requiredLong("candid")
        .endRecord();
    AlertCodec codec = AlertCodec.of(MessageFormat.FINK, schema);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "1024"); // many small batches: many files, time to kill
    Instant start = Instant.now().minus(1, ChronoUnit.HOURS);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < ALERTS; i++) {
        GenericRecord alert = new GenericData.Record(schema);
        alert.put("objectId", "ZTF" + i);
        alert.put("candid", (long) i);
        RecordHeaders headers = new RecordHeaders();
        headers.add(AlertHeaders.ALERT_ID, ("id-" + i).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, i % 3, start.toEpochMilli() + i, codec.messageKey(null),
            codec.encode(alert), headers));
      }
      producer.flush();
    }
    Path conf = dir.resolve("fink.conf");
    Files.write(conf, List.of("DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_SCHEMA_TOPIC="));
    Path folder = dir.resolve("download");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), FinkCommand.class.getName(), "consume", "--conf",
        conf.toString(), "--topic", topic, "--until", Instant.now().toString(),
        "--output", folder.toString());

    int killedWhileRunning = 0;
    for (int kill = 0; kill < 3; kill++) {
      long before = files(folder);
      Process child = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("run-" + kill + ".log").toFile()).start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (child.isAlive() && files(folder) <= before + 2 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      }
      if (child.isAlive()) {
        killedWhileRunning++;
      }
      System.out.println("kill " + kill + ": " + files(folder) + " files, alive " + child.isAlive() + " at "
          + Instant.now());
      child.destroyForcibly(); // SIGKILL
      child.waitFor(30, TimeUnit.SECONDS);
    }
    System.out.println("last run from " + Instant.now());
    Process last = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("run-last.log").toFile()).start();
    assertTrue(last.waitFor(120, TimeUnit.SECONDS), Files.readString(dir.resolve("run-last.log")));
    assertEquals(0, last.exitValue(), Files.readString(dir.resolve("run-last.log")));

    System.out.println("last run done " + Instant.now() + ": " + Files.readString(dir.resolve("run-last.log")));
    List<Long> candids = new ArrayList<>();
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path file : all.filter(f -> f.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(),
            new GenericDatumReader<>())) {
          reader.forEach(r -> candids.add((Long) r.get("candid")));
        }
      }
    }
    Set<Long> distinct = new HashSet<>(candids);
    assertEquals(ALERTS, distinct.size(), "none lost");
    assertEquals(ALERTS, candids.size(), "none twice (rows = alerts)");
    assertTrue(killedWhileRunning >= 1, "at least one kill hit a running download");
  }

  private static long files(Path folder) throws IOException {
    return DownloadFolder.finishedFiles(folder, ".avro").size();
  }
}
