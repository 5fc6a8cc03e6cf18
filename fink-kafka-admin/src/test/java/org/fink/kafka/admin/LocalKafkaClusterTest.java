package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaClusterTest {
  @TempDir
  Path dataDir;
  private LocalKafkaCluster cluster;

  @AfterEach
  void stopLeftovers() {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void startsInTheBackgroundIsIdempotentServesTopicsAndStopsCleanly() {
    cluster = new LocalKafkaCluster(new LocalClusterSpec(freePortPair(), dataDir, 1));
    int port = cluster.spec().port();

    LocalClusterStart started = cluster.start();
    assertFalse(started.alreadyRunning());
    assertEquals("127.0.0.1:" + port, started.bootstrapServers());
    assertTrue(Files.isRegularFile(dataDir.resolve(RunningBrokers.FILE_NAME)));
    assertTrue(Files.isRegularFile(dataDir.resolve("logs/broker-1.log")));

    List<BrokerStatus> status = cluster.status();
    assertEquals(1, status.size());
    BrokerStatus broker = status.get(0);
    assertTrue(broker.alive() && broker.answering(), broker.describe());
    assertEquals(port, broker.port());
    assertTrue(broker.pid() != ProcessHandle.current().pid());

    LocalClusterStart again = cluster.start();
    assertTrue(again.alreadyRunning());
    assertEquals(started.bootstrapServers(), again.bootstrapServers());
    assertEquals(broker.pid(), cluster.status().get(0).pid(), "no second broker was started");

    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(started.bootstrapServers())) {
      assertTrue(admin.createTopic("local-t1", 2, 1));
      assertEquals(2, admin.describeTopic("local-t1").partitions().size());
    }

    assertTrue(cluster.stop());
    assertFalse(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false), "broker process gone");
    assertFalse(LoopbackPorts.isListening(port), "client port closed");
    assertFalse(LoopbackPorts.isListening(cluster.spec().controllerPort(1)), "controller port closed");
    assertEquals(List.of(), cluster.status());
    assertFalse(cluster.isRunning());
    assertFalse(cluster.stop(), "stopping a stopped cluster succeeds and says nothing ran");
  }

  @Test
  void aBrokerThatDiesAtStartIsReportedWithItsLog() throws IOException {
    cluster = new LocalKafkaCluster(new LocalClusterSpec(freePortPair(), dataDir, 1));
    Files.createDirectories(cluster.spec().brokerDir(1));
    Files.writeString(cluster.spec().brokerDir(1).resolve("meta.properties"), "version=1\n");
    Files.writeString(dataDir.resolve(ClusterIdentity.FILE_NAME), "cluster.id=x2RwIHSfQ6mmYCQw8rWrcg\nbrokers=1\n");
    KafkaAdminException error = assertThrows(KafkaAdminException.class, cluster::start);
    assertTrue(error.getMessage().startsWith("Kafka broker 1 exited with status 1 before answering"),
        error.getMessage());
    assertTrue(error.getMessage().contains("has no cluster.id"), error.getMessage());
    assertFalse(Files.exists(dataDir.resolve(RunningBrokers.FILE_NAME)), "no state left for a failed start");
  }

  @Test
  void aDataFolderKeepsTheSecurityModeItWasCreatedWith() throws IOException {
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve(ClusterIdentity.FILE_NAME),
        "cluster.id=x2RwIHSfQ6mmYCQw8rWrcg\nbrokers=1\nsecurity=SASL_PLAINTEXT\n");
    cluster = new LocalKafkaCluster(new LocalClusterSpec(freePortPair(), dataDir, 1));
    IllegalStateException plain = assertThrows(IllegalStateException.class, cluster::start);
    assertTrue(plain.getMessage().contains("was created in security mode without TLS: set"
        + " DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT"), plain.getMessage());
    LocalKafkaCluster secure = new LocalKafkaCluster(new LocalClusterSpec(freePortPair(), dataDir, 1, true));
    IllegalStateException noSuperUser = assertThrows(IllegalStateException.class, secure::start);
    assertTrue(noSuperUser.getMessage().contains("super user file"), noSuperUser.getMessage());
    assertFalse(Files.exists(dataDir.resolve(RunningBrokers.FILE_NAME)), "nothing was started");
    assertTrue(secure.isSecure());
    assertTrue(secure.superUserClientProperties().isEmpty());
  }

  @Test
  void aTakenPortIsReportedBeforeForking() throws IOException {
    int port = freePortPair();
    cluster = new LocalKafkaCluster(new LocalClusterSpec(port, dataDir, 1));
    try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      KafkaAdminException error = assertThrows(KafkaAdminException.class, cluster::start);
      assertTrue(error.getMessage().contains("port " + squatter.getLocalPort()), error.getMessage());
    }
    assertFalse(Files.exists(dataDir.resolve(RunningBrokers.FILE_NAME)));
  }

  @Test
  void specFollowsThePortRule() {
    LocalClusterSpec spec = new LocalClusterSpec(9092, dataDir, 3);
    assertEquals("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094", spec.bootstrapServers());
    assertEquals("1@127.0.0.1:10092,2@127.0.0.1:10093,3@127.0.0.1:10094", spec.quorumVoters());
    assertEquals(dataDir.resolve("logs/broker-2.log"), spec.logFile(2));
    assertEquals(3, spec.replicationFactor());
    assertEquals(2, spec.minInsyncReplicas());
    assertEquals(1, new LocalClusterSpec(9092, dataDir, 1).replicationFactor());
    assertEquals(1, new LocalClusterSpec(9092, dataDir, 1).minInsyncReplicas());
    assertEquals(2, new LocalClusterSpec(9092, dataDir, 2).minInsyncReplicas());
    assertFalse(spec.secure());
    LocalKafkaCluster three = new LocalKafkaCluster(spec);
    assertTrue(three.serves("127.0.0.1:9092,localhost:9094"));
    assertFalse(three.serves("127.0.0.1:9095"));
    assertFalse(three.serves("10.0.0.1:9092"));
    assertFalse(three.serves(""));
    assertThrows(IllegalArgumentException.class, () -> new LocalClusterSpec(65000, dataDir, 1));
    assertThrows(IllegalArgumentException.class, () -> new LocalClusterSpec(9092, dataDir, 0));
  }

  /** A free port whose controller port (+1000) is free too. */
  static int freePortPair() {
    return freePortRange(1);
  }

  /** A first port such that {@code count} client ports and their controller ports are free. */
  static int freePortRange(int count) {
    return LocalClusterSpec.freePort(count);
  }

}
