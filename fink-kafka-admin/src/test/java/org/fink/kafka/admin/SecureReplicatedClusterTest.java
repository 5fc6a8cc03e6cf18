package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One local cluster of 3 brokers in security mode for the whole class (each broker its own JVM): SCRAM users and
 * ACLs, then a broker killed with SIGKILL while clients produce and consume, then a clean stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureReplicatedClusterTest {
  private static final Duration AWAIT = Duration.ofSeconds(60);
  private static final Duration FAST = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Passwords of this run, with characters JAAS needs escaped. */
  private static final String PRODUCER_PASSWORD = "pw\"prod\\" + random();
  private static final String CONSUMER_PASSWORD = "pw-cons-" + random();
  private static final String NOBODY_PASSWORD = "pw-nobody-" + random();

  private static Path dataDir;
  private static LocalKafkaCluster cluster;
  private static String servers;
  private static FinkKafkaAdmin admin;

  @BeforeAll
  static void startCluster() throws IOException {
    dataDir = Files.createTempDirectory("fink-secure-cluster-");
    cluster = new LocalKafkaCluster(new LocalClusterSpec(LocalKafkaClusterTest.freePortRange(3), dataDir, 3, true));
    LocalClusterStart started = cluster.start();
    assertEquals(List.of(1, 2, 3), started.startedBrokers());
    servers = started.bootstrapServers();
    admin = FinkKafkaAdmin.connect(servers, cluster.superUserClientProperties());
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.stop();
    }
    if (dataDir != null) {
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void securityModeHasASuperUserInAnOwnerOnlyFileAndRefusesClientsWithoutLogin() throws IOException {
    assertTrue(cluster.isSecure());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.superUserFile())));
    assertEquals("SASL_PLAINTEXT", cluster.superUserClientProperties().getProperty("security.protocol"));
    assertEquals(3, admin.brokers().size());
    assertTrue(admin.scramUsers().list().contains("fink-admin"), "super user bootstrapped at format time");
    assertTrue(cluster.serves(servers));
    assertFalse(cluster.serves("kafka.example.org:9092"));

    long start = System.nanoTime();
    try (FinkKafkaAdmin anonymous = FinkKafkaAdmin.connect(servers)) {
      KafkaAdminException error = assertThrows(KafkaAdminException.class, anonymous::listTopics);
      assertTrue(error.getMessage().contains(servers) && error.getMessage().contains("security settings"),
          error.getMessage());
    }
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0);
  }

  @Test
  @Order(2)
  void usersAndAclsLetProducersWriteAndConsumersReadOnlyWhatTheyAreGiven() throws Exception {
    String topic = "secured-alerts";
    assertTrue(admin.createTopic(TopicSpec.named(topic).withPartitions(2)));
    admin.scramUsers().upsert("producer-user", PRODUCER_PASSWORD.toCharArray());
    admin.scramUsers().upsert("consumer-user", CONSUMER_PASSWORD.toCharArray());
    admin.scramUsers().upsert("nobody", NOBODY_PASSWORD.toCharArray());
    await(() -> admin.scramUsers().list().containsAll(List.of("consumer-user", "nobody", "producer-user")),
        "the new users listed");
    ClientAccess producer = ClientAccess.producer("producer-user", "*", topic);
    ClientAccess consumer = ClientAccess.consumer("consumer-user", "*", topic, "fink-group-");
    admin.acls().grant(producer);
    admin.acls().grant(consumer);
    awaitAclCountOnEveryBroker(11); // 2 + 3 on the topic, 4 + 2 on its schema topic secured-alerts_schema

    List<String> acls = admin.acls().list().stream().map(AclEntry::describe).toList();
    assertTrue(acls.contains("User:producer-user from *: ALLOW WRITE on TOPIC secured-alerts"), acls.toString());
    assertTrue(acls.contains("User:producer-user from *: ALLOW DESCRIBE on TOPIC secured-alerts"), acls.toString());
    assertTrue(acls.contains("User:consumer-user from *: ALLOW READ on TOPIC secured-alerts"), acls.toString());
    assertTrue(acls.contains("User:consumer-user from *: ALLOW DESCRIBE on TOPIC secured-alerts"), acls.toString());
    assertTrue(acls.contains("User:consumer-user from *: ALLOW READ on GROUP fink-group-* (prefix)"),
        acls.toString());

    Properties asProducer = SaslLogin.scramClientProperties("producer-user", PRODUCER_PASSWORD);
    Properties asConsumer = SaslLogin.scramClientProperties("consumer-user", CONSUMER_PASSWORD);
    Properties asNobody = SaslLogin.scramClientProperties("nobody", NOBODY_PASSWORD);

    produce(asProducer, topic, 10);
    assertEquals(10, consume(asConsumer, topic, "fink-group-1", 10).size(), "consumer reads with its prefix");

    assertFastAuthorizationError(() -> consume(asProducer, topic, "fink-group-2", 1), "producer cannot read");
    assertFastAuthorizationError(() -> consume(asConsumer, topic, "other-group", 1), "group outside the prefix");
    assertFastAuthorizationError(() -> produce(asConsumer, topic, 1), "consumer cannot write");
    assertFastAuthorizationError(() -> produce(asNobody, topic, 1), "user without ACL, producing");
    assertFastAuthorizationError(() -> consume(asNobody, topic, "fink-group-3", 1), "user without ACL, consuming");
    try (FinkKafkaAdmin nobody = FinkKafkaAdmin.connect(servers, asNobody)) {
      assertFalse(nobody.listTopics().contains(topic), "topics a user may not describe are hidden");
      KafkaAdminException denied = assertThrows(KafkaAdminException.class,
          () -> nobody.createTopic(TopicSpec.named("not-mine")));
      assertTrue(denied.getMessage().contains("was denied"), denied.getMessage());
    }

    assertFastLoginRefused(SaslLogin.scramClientProperties("producer-user", PRODUCER_PASSWORD + "x"),
        "wrong password");
    assertFastLoginRefused(SaslLogin.scramClientProperties("ghost", PRODUCER_PASSWORD), "unknown user");

    // removal takes the same arguments as the grant, and removes exactly what it added
    assertEquals(6, admin.acls().revoke(ClientAccess.producer("producer-user", "*", topic)));
    KafkaAdminException again = assertThrows(KafkaAdminException.class, () -> admin.acls().revoke(producer));
    assertTrue(again.getMessage().startsWith("there are no producer ACLs of user producer-user from host * on topic"
        + " secured-alerts"), again.getMessage());
    awaitAclCountOnEveryBroker(5);
    assertFastAuthorizationError(() -> produce(asProducer, topic, 1), "producer after its ACLs were removed");
    assertEquals(5, admin.acls().revoke(ClientAccess.consumer("consumer-user", "*", topic, "fink-group-")));
    awaitAclCountOnEveryBroker(0);

    admin.scramUsers().delete("nobody");
    await(() -> !admin.scramUsers().list().contains("nobody"), "the deleted user no longer listed");
    KafkaAdminException absent = assertThrows(KafkaAdminException.class, () -> admin.scramUsers().delete("nobody"));
    assertTrue(absent.getMessage().contains("user nobody has no SCRAM-SHA-512 credentials"), absent.getMessage());
    awaitLoginRefused(asNobody);

    assertThrows(KafkaAdminException.class, () -> ClientAccess.producer("u", "broker.example.org", topic),
        "ACL hosts are IP addresses");
    assertThrows(KafkaAdminException.class, () -> ClientAccess.consumer("u", "*", topic, null));
  }

  @Test
  @Order(3)
  void passwordsAppearInNoFileOfTheDataFolderNorInTheTestLog() throws IOException {
    String superUserPassword = LocalSuperUser.load(dataDir).orElseThrow().password();
    List<String> passwords = List.of(PRODUCER_PASSWORD, CONSUMER_PASSWORD, NOBODY_PASSWORD, superUserPassword);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".log")), "broker logs are scanned too");
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      for (String password : passwords) {
        boolean allowed = password.equals(superUserPassword) && file.equals(cluster.superUserFile());
        assertEquals(allowed, contains(content, password.getBytes(StandardCharsets.UTF_8)),
            "a password in " + file);
      }
    }
    Path testLog = Path.of("target/test-logs/kafka-admin-tests.log");
    assertTrue(Files.size(testLog) > 0);
    String log = Files.readString(testLog, StandardCharsets.UTF_8);
    assertTrue(log.contains("sasl.jaas.config = [hidden]"), "the scan sees the client configurations");
    for (String password : passwords) {
      assertFalse(log.contains(password), "a password in the test log");
    }
  }

  @Test
  @Order(4)
  void aKilledBrokerLosesNoAcknowledgedRecordAndRejoinsAfterRestart() throws Exception {
    assertEquals(List.of(true, true, true), cluster.status().stream().map(BrokerStatus::answering).toList());
    assertEquals(3, cluster.status().stream().map(BrokerStatus::pid).distinct().count());
    String topic = "durable-alerts";
    assertTrue(admin.createTopic(TopicSpec.named(topic).withPartitions(3).withRetention(Duration.ofHours(2))));
    TopicDetails created = admin.describeTopic(topic);
    assertEquals(3, created.replicationFactor(), "replication factor min(3, N) by default");
    assertEquals("2", created.configs().get("min.insync.replicas"), "min.insync.replicas min(2, N)");
    assertEquals("7200000", created.configs().get("retention.ms"));

    BrokerStatus victim = cluster.status().get(1);
    ProcessHandle process = ProcessHandle.of(victim.pid()).orElseThrow();
    assertTrue(process.destroyForcibly(), "SIGKILL sent");
    process.onExit().get(30, TimeUnit.SECONDS);
    BrokerStatus dead = cluster.status().get(1);
    assertFalse(dead.alive() || dead.answering(), dead.describe());

    Properties login = cluster.superUserClientProperties();
    int count = 300;
    produce(login, topic, count);
    List<String> received = consume(login, topic, "durability-check", count);
    assertEquals(count, received.size());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < count; i++) {
      expected.add("alert-" + i);
    }
    assertEquals(expected, new HashSet<>(received), "every acknowledged record is read back");
    GroupDetails group = admin.describeGroup("durability-check");
    assertEquals(3, group.partitions().size());
    assertEquals(0, group.totalLag(), group.toString());
    assertEquals(count, group.partitions().stream().mapToLong(GroupPartitionLag::endOffset).sum());

    LocalClusterStart restarted = cluster.start();
    assertEquals(List.of(2), restarted.startedBrokers());
    assertTrue(restarted.restartedSome());
    BrokerStatus back = cluster.status().get(1);
    assertTrue(back.alive() && back.answering(), back.describe());
    assertNotEquals(victim.pid(), back.pid());
    await(() -> admin.describeTopic(topic).partitions().stream().allMatch(p -> p.isr().size() == 3),
        "broker 2 back in the in-sync replicas of " + topic);
    KafkaAdminException missing = assertThrows(KafkaAdminException.class, () -> admin.describeGroup("no-such-group"));
    assertTrue(missing.getMessage().contains("consumer group no-such-group does not exist"), missing.getMessage());
  }

  @Test
  @Order(5)
  void stopLeavesNoProcessAndNoOpenPort() {
    List<BrokerStatus> before = cluster.status();
    assertTrue(cluster.stop());
    for (BrokerStatus broker : before) {
      assertFalse(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false), broker.describe());
      assertFalse(LoopbackPorts.isListening(broker.port()), broker.describe());
      assertFalse(LoopbackPorts.isListening(cluster.spec().controllerPort(broker.nodeId())), broker.describe());
    }
    assertEquals(List.of(), cluster.status());
  }

  // ---------------------------------------------------------------- helpers

  private static void produce(Properties login, String topic, int count) throws Exception {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, "ZTF" + i, "alert-" + i)));
      }
      producer.flush();
      for (Future<RecordMetadata> future : sent) {
        future.get(90, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> consume(Properties login, String topic, String group, int count) {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + AWAIT.toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
      }
      consumer.commitSync(Duration.ofSeconds(30));
    }
    return values;
  }

  /** The action fails with an authorization error (not a hang, not another error) within a few seconds. */
  private static void assertFastAuthorizationError(ThrowingAction action, String what) {
    long start = System.nanoTime();
    Throwable error = assertThrows(Throwable.class, action::run, what);
    // a producer may fail in send() itself, once its idempotence set-up was refused ("Cannot execute transactional
    // method because we are in an error state"), with the authorization error as the cause
    Throwable cause = error;
    while (!(cause instanceof AuthorizationException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    assertInstanceOf(AuthorizationException.class, cause, what + ": " + error);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(FAST) < 0, what + " took " + took);
  }

  /** An admin request with these credentials fails at once, saying authentication failed. */
  private static void assertFastLoginRefused(Properties login, String what) {
    long start = System.nanoTime();
    try (FinkKafkaAdmin refused = FinkKafkaAdmin.connect(servers, login)) {
      KafkaAdminException error = assertThrows(KafkaAdminException.class, refused::listTopics, what);
      assertTrue(error.getMessage().startsWith("authentication to Kafka at " + servers + " failed"),
          what + ": " + error.getMessage());
      assertInstanceOf(AuthenticationException.class, error.getCause());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(FAST) < 0, what + " took " + took);
    Throwable producing = assertThrows(Throwable.class, () -> produce(login, "secured-alerts", 1), what);
    Throwable cause = producing instanceof ExecutionException ? producing.getCause() : producing;
    assertInstanceOf(AuthenticationException.class, cause, what + ": " + cause);
  }

  /** SCRAM credential changes reach every broker through the metadata log: wait until logins fail. */
  private static void awaitLoginRefused(Properties login) {
    await(() -> {
      try (FinkKafkaAdmin refused = FinkKafkaAdmin.connect(servers, login)) {
        refused.listTopics();
        return false;
      } catch (KafkaAdminException e) {
        return e.getCause() instanceof AuthenticationException;
      }
    }, "login refused after the user was deleted");
  }

  /** ACL changes reach every broker through the metadata log: wait until each one reports {@code count}. */
  private static void awaitAclCountOnEveryBroker(int count) {
    Properties login = cluster.superUserClientProperties();
    for (String server : servers.split(",")) {
      await(() -> {
        try (FinkKafkaAdmin one = FinkKafkaAdmin.connect(server, login)) {
          return one.acls().list().size() == count;
        }
      }, count + " ACLs on " + server);
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String random() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @FunctionalInterface
  private interface ThrowingAction {
    void run() throws Exception;
  }
}
