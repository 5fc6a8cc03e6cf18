package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinkKafkaCommandTest {
  @TempDir
  Path dir;

  /** Output and exit code of one fink_kafka run. */
  record Run(int exitCode, String out, String err) {
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FinkKafkaCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path conf(String... lines) throws IOException {
    Path file = dir.resolve("fink.conf");
    Files.write(file, java.util.List.of(lines));
    return file;
  }

  @Test
  void managesTopicsOfTheDistributionServers() throws IOException {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String conf = conf("DISTRIBUTION_SERVERS=" + servers).toString();

    Run created = run("--conf", conf, "--create-topic", "cli-t1", "--partitions", "2");
    assertEquals(0, created.exitCode(), created.err());
    assertEquals("created topic cli-t1 (2 partitions, replication factor 1) on " + servers, created.out().strip());
    Run again = run("--conf", conf, "--create-topic", "cli-t1");
    assertEquals(0, again.exitCode());
    assertTrue(again.out().contains("already exists"), again.out());

    Run list = run("--conf", conf, "--list-topics");
    assertEquals(0, list.exitCode());
    assertTrue(list.out().lines().anyMatch("cli-t1"::equals), list.out());

    Run describe = run("--conf", conf, "--describe-topic", "cli-t1");
    assertEquals(0, describe.exitCode(), describe.err());
    assertTrue(describe.out().startsWith("topic cli-t1: 2 partitions, replication factor 1"), describe.out());
    assertTrue(describe.out().contains("partition 1: leader 1"), describe.out());
    assertTrue(describe.out().contains("retention.ms="), describe.out());

    Run delete = run("--conf", conf, "--delete-topic", "cli-t1");
    assertEquals(0, delete.exitCode(), delete.err());
    Run absent = run("--conf", conf, "--delete-topic", "cli-t1");
    assertEquals(1, absent.exitCode());
    assertEquals("fink_kafka: topic cli-t1 does not exist on " + servers, absent.err().strip());
    Run verbose = run("--conf", conf, "--verbose", "--delete-topic", "cli-t1");
    assertTrue(verbose.err().contains("\tat org.fink.kafka.admin."), "stack trace with --verbose");
  }

  @Test
  void usageErrorsAndFeaturesToComeExitWith2() {
    Run help = run("-h");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("bin/fink_kafka start [--brokers N]"), help.out());
    assertTrue(help.out().contains(
        "bin/fink_kafka --delete-topic T | --describe-topic T | --list-topics | --list-acl"), help.out());
    Run acl = run("--list-acl");
    assertEquals(2, acl.exitCode());
    assertTrue(acl.err().contains("not available yet: comes with SCRAM support"), acl.err());
    assertEquals(2, run("--authentication", "-a", "-u", "bob", "-p", "secret").exitCode());
    assertEquals(2, run("--list-topics", "--delete-topic", "x").exitCode());
    assertEquals(2, run("--partitions", "3").exitCode());
    assertEquals(2, run().exitCode());
  }

  @Test
  void startsReportsAndStopsTheLocalCluster() throws IOException {
    int port = freePortPair();
    String conf = conf("KAFKA_LOCAL_PORT=" + port, "KAFKA_LOCAL_DATA=" + dir.resolve("kafka")).toString();
    try {
      Run start = run("start", "--conf", conf);
      assertEquals(0, start.exitCode(), start.err());
      assertEquals("127.0.0.1:" + port, start.out().strip());
      Run again = run("--conf", conf, "start");
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.err().contains("already running"), again.err());
      Run status = run("status", "--conf", conf);
      assertEquals(0, status.exitCode());
      assertTrue(status.out().contains("port " + port + ", running, answering"), status.out());
      Run stop = run("stop", "--conf", conf);
      assertEquals(0, stop.exitCode(), stop.err());
      assertTrue(stop.out().startsWith("local Kafka cluster stopped"), stop.out());
      Run stopped = run("status", "--conf", conf);
      assertTrue(stopped.out().startsWith("no local Kafka cluster running"), stopped.out());
      assertFalse(listening(port));
    } finally {
      run("stop", "--conf", conf);
    }
  }

  private static boolean listening(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        port = socket.getLocalPort();
      }
      if (port + 1000 <= 65535) {
        try (ServerSocket controller = new ServerSocket(port + 1000, 1, InetAddress.getByName("127.0.0.1"))) {
          return controller.getLocalPort() - 1000;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no free port pair");
  }
}
