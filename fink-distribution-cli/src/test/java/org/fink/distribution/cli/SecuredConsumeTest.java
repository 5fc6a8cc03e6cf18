package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.config.Secret;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.LocalClusterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fink consume} on a local cluster in security mode (SASL/SCRAM and ACLs), logged in as the configured user
 * with its password file: reads what another user wrote; the password shows nowhere.
 */
class SecuredConsumeTest {
  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  private static Run run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), out.toString(), err.toString());
  }

  private Path conf(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  @Test
  void consumesAsTheConfiguredSaslUser() throws Exception {
    int port = LocalClusterSpec.freePort(1);
    String servers = "127.0.0.1:" + port;
    String admin = conf("admin.conf", "KAFKA_LOCAL_PORT=" + port, "KAFKA_LOCAL_DATA=" + dir.resolve("kafka"),
        "KAFKA_LOCAL_BROKERS=1", "DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT")
        .toString();
    String alicePassword = "alice-pw-" + System.nanoTime();
    String bobPassword = "bob-pw-" + System.nanoTime();
    try {
      Run start = run(FinkKafkaCommand.commandLine(), "start", "--brokers", "1", "--conf", admin);
      assertEquals(0, start.exitCode(), start.err());
      for (String[] args : List.of(
          new String[] {"--create-topic", "alerts", "--partitions", "2"},
          new String[] {"--authentication", "-a", "-u", "alice", "-p", alicePassword},
          new String[] {"--authentication", "-a", "-u", "bob", "-p", bobPassword},
          new String[] {"--authorization", "-a", "-u", "alice", "-H", "*", "-p", "-t", "alerts"},
          new String[] {"--authorization", "-a", "-u", "bob", "-H", "*", "-c", "bob-", "-t", "alerts"})) {
        List<String> all = new java.util.ArrayList<>(List.of("--conf", admin));
        all.addAll(List.of(args));
        Run r = run(FinkKafkaCommand.commandLine(), all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
      }
      SyntheticAlerts alerts = SyntheticAlerts.ztf(7);
      AlertCodec codec = AlertCodec.of(MessageFormat.FINK, alerts.schema());
      Properties props = new Properties();
      props.putAll(KafkaSecurity.scram("SCRAM-SHA-512", "alice", Secret.of(alicePassword)).clientProperties());
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
          new ByteArraySerializer())) {
        for (int i = 0; i < 10; i++) {
          GenericRecord alert = alerts.next();
          RecordHeaders headers = new RecordHeaders();
          headers.add(AlertHeaders.ALERT_ID, ("a-" + i).getBytes(StandardCharsets.UTF_8));
          producer.send(new ProducerRecord<>("alerts", null, null, codec.messageKey(null), codec.encode(alert),
              headers)).get();
        }
      }
      Path passwordFile = Files.writeString(dir.resolve("bob.password"), bobPassword + "\n");
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      String bob = conf("bob.conf", "DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT",
          "DISTRIBUTION_USERNAME=bob", "DISTRIBUTION_PASSWORD_FILE=" + passwordFile, "DISTRIBUTION_SCHEMA_TOPIC=")
          .toString();
      Run consumed = run(FinkCommand.commandLine(), "consume", "--conf", bob, "--topic", "alerts", "--group",
          "bob-science", "--max-alerts", "10", "--json", "--exit-after", "60");
      assertEquals(0, consumed.exitCode(), consumed.err());
      assertEquals(10, consumed.out().lines().filter(l -> l.startsWith("{\"topic\":\"alerts\"")).count(),
          consumed.out());
      assertFalse((consumed.out() + consumed.err()).contains(bobPassword));

      Run lag = run(FinkKafkaCommand.commandLine(), "--conf", admin, "--describe-group", "bob-science");
      assertTrue(lag.out().contains("total lag 0"), lag.out());
    } finally {
      run(FinkKafkaCommand.commandLine(), "stop", "--conf", admin);
    }
  }
}
