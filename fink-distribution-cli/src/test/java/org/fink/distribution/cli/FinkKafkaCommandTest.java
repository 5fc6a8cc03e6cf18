package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.config.Secret;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.LocalClusterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinkKafkaCommandTest {
  @TempDir
  Path dir;

  /** Output and exit code of one fink_kafka run. */
  record Run(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** Every run's output, scanned for passwords at the end of the security test. */
  private final List<Run> runs = new ArrayList<>();

  private Run run(String... args) {
    return run(new PasswordInput(Map.of(), null, new ByteArrayInputStream(new byte[0])), args);
  }

  private Run run(PasswordInput passwords, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FinkKafkaCommand command = new FinkKafkaCommand();
    command.passwordInput = passwords;
    CommandLine commandLine = FinkKafkaCommand.commandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    Run run = new Run(code, out.toString(), err.toString());
    runs.add(run);
    return run;
  }

  /**
   * Runs until the output satisfies {@code done} (30 s at most): brokers learn of new users and ACLs through the
   * metadata log a moment after the controller accepted them, and a listing may come from any broker.
   */
  private Run runUntil(java.util.function.Predicate<Run> done, String... args) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Run run = run(args);
    while (!done.test(run) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      run = run(args);
    }
    return run;
  }

  private Path conf(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void managesTopicsAndGroupsOfTheDistributionServers() throws IOException {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String conf = conf("fink.conf", "DISTRIBUTION_SERVERS=" + servers).toString();

    Run created = run("--conf", conf, "--create-topic", "cli-t1", "--partitions", "2");
    assertEquals(0, created.exitCode(), created.err());
    assertEquals("created topic cli-t1 (2 partitions, replication factor 1) on " + servers, created.out().strip());
    Run again = run("--conf", conf, "--create-topic", "cli-t1");
    assertEquals(0, again.exitCode());
    assertTrue(again.out().contains("already exists"), again.out());
    Run kept = run("--conf", conf, "--create-topic", "cli-t2", "--retention", "36", "--replication-factor", "1");
    assertEquals("created topic cli-t2 (1 partition, replication factor 1, retention 36 h) on " + servers,
        kept.out().strip(), kept.err());

    Run compacted = run("--conf", conf, "--create-topic", "cli-schemas", "--compact");
    assertEquals("created topic cli-schemas (1 partition, replication factor 1, compacted) on " + servers,
        compacted.out().strip(), compacted.err());
    assertTrue(run("--conf", conf, "--describe-topic", "cli-schemas").out().contains("cleanup.policy=compact"));

    Run list = run("--conf", conf, "--list-topics");
    assertEquals(0, list.exitCode());
    assertTrue(list.out().lines().anyMatch("cli-t1"::equals), list.out());

    Run describe = run("--conf", conf, "--describe-topic", "cli-t2");
    assertEquals(0, describe.exitCode(), describe.err());
    assertTrue(describe.out().startsWith("topic cli-t2: 1 partition, replication factor 1, 0 messages written,"
        + " retention 36 h"), describe.out());
    assertTrue(describe.out().contains("partition 0: leader 1, replicas [1], in-sync [1]"), describe.out());
    assertTrue(describe.out().contains("retention.ms=129600000"), describe.out());

    Run group = run("--conf", conf, "--describe-group", "cli-no-group");
    assertEquals(1, group.exitCode());
    assertEquals("fink_kafka: consumer group cli-no-group does not exist on " + servers, group.err().strip());
    Run acl = run("--conf", conf, "--list-acl");
    assertEquals(1, acl.exitCode());
    assertTrue(acl.err().contains("no authorizer"), acl.err());

    Run rf = run("--conf", conf, "--create-topic", "cli-rf3", "--replication-factor", "3");
    assertEquals(1, rf.exitCode());
    assertTrue(rf.err().contains("the cluster has only 1 broker(s)"), rf.err());
    Run name = run("--conf", conf, "--create-topic", "bad name");
    assertEquals(1, name.exitCode());
    assertTrue(name.err().startsWith("fink_kafka: invalid topic name 'bad name'"), name.err());

    Run delete = run("--conf", conf, "--delete-topic", "cli-t1");
    assertEquals(0, delete.exitCode(), delete.err());
    Run absent = run("--conf", conf, "--delete-topic", "cli-t1");
    assertEquals(1, absent.exitCode());
    assertEquals("fink_kafka: topic cli-t1 does not exist on " + servers, absent.err().strip());
    Run verbose = run("--conf", conf, "--verbose", "--delete-topic", "cli-t1");
    assertTrue(verbose.err().contains("\tat org.fink.kafka.admin."), "stack trace with --verbose");
  }

  @Test
  void unreachableServersFailWithinSecondsNamingTheAddress() throws IOException {
    String nowhere = "127.0.0.1:" + freePortPair();
    String conf = conf("nowhere.conf", "DISTRIBUTION_SERVERS=" + nowhere).toString();
    long start = System.nanoTime();
    Run run = run("--conf", conf, "--list-topics");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("fink_kafka: Kafka at " + nowhere + " did not answer within 5 s"), run.err());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0);
  }

  @Test
  void usageErrorsExitWith2() {
    Run help = run("-h");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("bin/fink_kafka start [--brokers N]"), help.out());
    assertTrue(help.out().contains("bin/fink_kafka --delete-topic T | --describe-topic T | --list-topics"
        + " | --describe-group G | --list-acl"), help.out());
    assertTrue(help.out().contains(PasswordInput.VARIABLE), help.out());
    assertEquals(2, run().exitCode());
    assertEquals(2, run("--list-topics", "--delete-topic", "x").exitCode());
    assertEquals(2, run("--partitions", "3").exitCode());
    assertEquals(2, run("--retention", "3", "--list-topics").exitCode());
    assertEquals(2, run("--compact").exitCode());
    assertEquals(2, run("-u", "bob").exitCode(), "-u without --authentication");
    assertEquals(2, run("--authentication", "-u", "bob").exitCode(), "neither -a nor -d");
    Run addAndDelete = run("--authentication", "-a", "-d", "-u", "bob");
    assertEquals(2, addAndDelete.exitCode(), "both -a and -d");
    assertTrue(addAndDelete.err().contains("-a, -d are mutually exclusive"), addAndDelete.err());
    assertEquals(2, run("--authentication", "-a").exitCode(), "no -u");
    assertEquals(2, run("--authentication", "-d", "-u", "bob", "-p", "pw").exitCode(), "-d with a password");
    assertEquals(2, run("--authentication", "-a", "-u", "bob", "-t", "t").exitCode());
    assertEquals(2, run("--authorization", "-a", "-u", "bob", "-H", "*", "-t", "t").exitCode(), "no -p or -c");
    Run producerAndConsumer = run("--authorization", "-a", "-u", "bob", "-H", "*", "-p", "-c", "g", "-t", "t");
    assertEquals(2, producerAndConsumer.exitCode());
    assertTrue(producerAndConsumer.err().contains("-p, -c=GROUP are mutually exclusive"), producerAndConsumer.err());
    assertEquals(2, run("--authorization", "-a", "-u", "bob", "-p", "-t", "t").exitCode(), "no -H");
    assertEquals(2, run("--authorization", "-a", "-u", "bob", "-H", "*", "-p").exitCode(), "no -t");
    Run producerValue = run("--authorization", "-a", "-u", "bob", "-H", "*", "-p", "pw", "-t", "t");
    assertEquals(2, producerValue.exitCode());
    assertTrue(producerValue.err().contains("-p (producer) takes no value"), producerValue.err());
    Run transactionalConsumer =
        run("--authorization", "-a", "-u", "bob", "-H", "*", "-c", "g", "--transactional", "-t", "t");
    assertEquals(2, transactionalConsumer.exitCode());
    assertTrue(transactionalConsumer.err().contains("--transactional goes with -p"), transactionalConsumer.err());
    assertEquals(2, run("--list-topics", "--transactional").exitCode(), "--transactional without --authorization");
    Run both = run("--authentication", "--list-acl", "-a", "-u", "bob");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("--list-acl, --authentication are mutually exclusive"), both.err());
    Run settingsWithoutTopic = run("--retention", "3", "--list-topics");
    assertTrue(settingsWithoutTopic.err().contains("go with --create-topic T"), settingsWithoutTopic.err());
  }

  /**
   * The story of a secure local cluster, through the CLI only: start (2 brokers, security mode), status, topics,
   * users (password from -p, the environment variable, stdin), ACLs, consumer-group lag, the same commands as a
   * configured SASL user (a "remote" login), removal with the same arguments, stop. No password shows in any output
   * or any file of the data folder.
   */
  @Test
  void managesASecureLocalClusterWithUsersAndAcls() throws Exception {
    int port = freePortRange(2);
    Path data = dir.resolve("kafka");
    String servers = "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1);
    String conf = conf("secure.conf", "KAFKA_LOCAL_PORT=" + port, "KAFKA_LOCAL_DATA=" + data,
        "DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT").toString();
    String alicePassword = "alice-pw-" + System.nanoTime();
    String bobPassword = "bob-\"pw\"-" + System.nanoTime();
    String carolPassword = "carol-pw-" + System.nanoTime();
    try {
      Run start = run("start", "--brokers", "2", "--conf", conf);
      assertEquals(0, start.exitCode(), start.err());
      assertEquals(servers, start.out().strip());
      assertTrue(start.err().contains("2 broker(s), replication factor 2, min.insync.replicas 2"), start.err());
      assertTrue(start.err().contains("security mode: SASL_PLAINTEXT with SCRAM-SHA-512 and ACLs; fink_kafka logs in"
          + " as super user fink-admin"), start.err());
      Run again = run("--conf", conf, "start", "--brokers", "2");
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.err().contains("already running"), again.err());
      Run status = run("status", "--conf", conf);
      assertEquals(0, status.exitCode());
      assertTrue(status.out().contains("security mode, super user fink-admin"), status.out());
      assertTrue(status.out().contains("broker 1: pid ") && status.out().contains("port " + port
          + ", running, answering"), status.out());
      assertTrue(status.out().contains("port " + (port + 1) + ", running, answering"), status.out());

      Run topic = run("--conf", conf, "--create-topic", "alerts", "--partitions", "2", "--retention", "12");
      assertEquals("created topic alerts (2 partitions, replication factor 2, retention 12 h) on " + servers,
          topic.out().strip(), topic.err());
      Run tooMany = run("--conf", conf, "--create-topic", "alerts3", "--replication-factor", "3");
      assertEquals(1, tooMany.exitCode());
      assertTrue(tooMany.err().contains("replication factor 3: the cluster has only 2 broker(s)"), tooMany.err());

      Run alice = run("--conf", conf, "--authentication", "-a", "-u", "alice", "-p", alicePassword);
      assertEquals(0, alice.exitCode(), alice.err());
      assertEquals("SCRAM-SHA-512 credentials of user alice set on " + servers, alice.out().strip());
      assertTrue(alice.err().contains("can be seen by other users"), alice.err());
      Run bob = run(new PasswordInput(Map.of(), null, stdin(bobPassword + "\n")),
          "--conf", conf, "--authentication", "-a", "-u", "bob");
      assertEquals(0, bob.exitCode(), bob.err());
      Run carol = run(new PasswordInput(Map.of(PasswordInput.VARIABLE, carolPassword), null, stdin("")),
          "--conf", conf, "--authentication", "-a", "-u", "carol");
      assertEquals(0, carol.exitCode(), carol.err());
      Run noPassword = run("--conf", conf, "--authentication", "-a", "-u", "dave");
      assertEquals(1, noPassword.exitCode());
      assertTrue(noPassword.err().contains("no password for user dave"), noPassword.err());

      Run producer = run("--conf", conf, "--authorization", "-a", "-u", "alice", "-H", "*", "-p", "-t", "alerts");
      assertEquals(0, producer.exitCode(), producer.err());
      assertEquals("added producer ACLs of user alice from host * on topic alerts and its schema topic alerts_schema"
          + " on " + servers,
          producer.out().strip());
      Run consumer = run("--conf", conf, "--authorization", "-a", "-u", "bob", "-H", "*", "-c", "spark-kafka-",
          "-t", "alerts");
      assertEquals(0, consumer.exitCode(), consumer.err());
      Run badHost = run("--conf", conf, "--authorization", "-a", "-u", "bob", "-H", "bob.example.org", "-c", "g",
          "-t", "alerts");
      assertEquals(1, badHost.exitCode());
      assertTrue(badHost.err().contains("is not an IP address"), badHost.err());
      for (int broker = 0; broker < 2; broker++) {
        String one = conf("broker-" + broker + ".conf", "KAFKA_LOCAL_PORT=" + port, "KAFKA_LOCAL_DATA=" + data,
            "DISTRIBUTION_SERVERS=127.0.0.1:" + (port + broker), "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT")
            .toString();
        assertEquals(11, runUntil(r -> r.out().lines().count() == 11, "--conf", one, "--list-acl").out().lines()
            .count(), "the ACLs reached broker " + (broker + 1));
      }
      Run acls = run("--conf", conf, "--list-acl");
      assertEquals(0, acls.exitCode(), acls.err());
      assertEquals(List.of("User:alice from *: ALLOW DESCRIBE on TOPIC alerts",
          "User:alice from *: ALLOW WRITE on TOPIC alerts",
          "User:alice from *: ALLOW CREATE on TOPIC alerts_schema",
          "User:alice from *: ALLOW DELETE on TOPIC alerts_schema",
          "User:alice from *: ALLOW DESCRIBE on TOPIC alerts_schema",
          "User:alice from *: ALLOW WRITE on TOPIC alerts_schema",
          "User:bob from *: ALLOW READ on GROUP spark-kafka-* (prefix)",
          "User:bob from *: ALLOW DESCRIBE on TOPIC alerts",
          "User:bob from *: ALLOW READ on TOPIC alerts",
          "User:bob from *: ALLOW DESCRIBE on TOPIC alerts_schema",
          "User:bob from *: ALLOW READ on TOPIC alerts_schema"), acls.out().lines().toList());

      // the clients: alice writes, bob reads with a group of his prefix; then the group's lag
      produce(servers, login("alice", alicePassword), "alerts", 6);
      assertEquals(6, consume(servers, login("bob", bobPassword), "alerts", "spark-kafka-cli", 6));
      Run lag = run("--conf", conf, "--describe-group", "spark-kafka-cli");
      assertEquals(0, lag.exitCode(), lag.err());
      assertTrue(lag.out().startsWith("consumer group spark-kafka-cli: EMPTY, 0 members, total lag 0"), lag.out());
      assertTrue(lag.out().contains("alerts-0: committed ") && lag.out().contains("alerts-1: committed "),
          lag.out());
      Run described = run("--conf", conf, "--describe-topic", "alerts");
      assertTrue(described.out().startsWith("topic alerts: 2 partitions, replication factor 2, 6 messages written,"
          + " retention 12 h"), described.out());
      assertTrue(described.out().contains("min.insync.replicas=2"), described.out());

      // the same tool as a configured SASL user, as against a remote cluster
      Path alicePasswordFile = ownerOnly(Files.writeString(dir.resolve("alice.password"), alicePassword + "\n"));
      String asAlice = conf("alice.conf", "DISTRIBUTION_SERVERS=" + servers, "KAFKA_LOCAL_DATA=" + dir.resolve("x"),
          "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT", "DISTRIBUTION_USERNAME=alice",
          "DISTRIBUTION_PASSWORD_FILE=" + alicePasswordFile).toString();
      Run aliceTopics = run("--conf", asAlice, "--list-topics");
      assertEquals(0, aliceTopics.exitCode(), aliceTopics.err());
      assertEquals(List.of("alerts"), aliceTopics.out().lines().toList(), "alice sees the topic she may describe");
      Run aliceCreate = run("--conf", asAlice, "--create-topic", "alice-own");
      assertEquals(1, aliceCreate.exitCode());
      assertTrue(aliceCreate.err().contains("creating topic alice-own on " + servers + " was denied"),
          aliceCreate.err());
      Path wrong = ownerOnly(Files.writeString(dir.resolve("wrong.password"), "not-her-password\n"));
      String wrongConf = conf("wrong.conf", "DISTRIBUTION_SERVERS=" + servers, "KAFKA_LOCAL_DATA=" + dir.resolve("x"),
          "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT", "DISTRIBUTION_USERNAME=alice",
          "DISTRIBUTION_PASSWORD_FILE=" + wrong).toString();
      long before = System.nanoTime();
      Run refused = run("--conf", wrongConf, "--list-topics");
      assertEquals(1, refused.exitCode());
      assertTrue(refused.err().startsWith("fink_kafka: authentication to Kafka at " + servers + " failed"),
          refused.err());
      assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(Duration.ofSeconds(10)) < 0);

      // removal with the same arguments as the addition, and a second removal is an error
      Run removed = run("--conf", conf, "--authorization", "-d", "-u", "alice", "-H", "*", "-p", "-t", "alerts");
      assertEquals(0, removed.exitCode(), removed.err());
      assertEquals("removed producer ACLs of user alice from host * on topic alerts and its schema topic"
          + " alerts_schema (6 ACLs) on " + servers,
          removed.out().strip());
      Run removedAgain = run("--conf", conf, "--authorization", "-d", "-u", "alice", "-H", "*", "-p", "-t", "alerts");
      assertEquals(1, removedAgain.exitCode());
      assertTrue(removedAgain.err().contains("there are no producer ACLs of user alice"), removedAgain.err());
      Run removedConsumer = run("--conf", conf, "--authorization", "-d", "-u", "bob", "-H", "*", "-c",
          "spark-kafka-", "-t", "alerts");
      assertEquals(0, removedConsumer.exitCode(), removedConsumer.err());
      assertTrue(removedConsumer.out().contains("(5 ACLs)"), removedConsumer.out());
      Run noAcls = runUntil(r -> r.out().startsWith("no ACLs"), "--conf", conf, "--list-acl");
      assertEquals("no ACLs on " + servers, noAcls.out().strip());
      Run deleted = run("--conf", conf, "--authentication", "-d", "-u", "carol");
      assertEquals(0, deleted.exitCode(), deleted.err());
      Run deletedAgain = run("--conf", conf, "--authentication", "-d", "-u", "carol");
      assertEquals(1, deletedAgain.exitCode());
      assertTrue(deletedAgain.err().contains("user carol has no SCRAM-SHA-512 credentials"), deletedAgain.err());
      Run deleteTopic = run("--conf", conf, "--delete-topic", "alerts");
      assertEquals(0, deleteTopic.exitCode(), deleteTopic.err());

      Run stop = run("stop", "--conf", conf);
      assertEquals(0, stop.exitCode(), stop.err());
      assertTrue(stop.out().startsWith("local Kafka cluster stopped"), stop.out());
      Run stopped = run("status", "--conf", conf);
      assertTrue(stopped.out().startsWith("no local Kafka cluster running"), stopped.out());
      assertFalse(listening(port) || listening(port + 1) || listening(port + 1000));
    } finally {
      run("stop", "--conf", conf);
    }
    for (String password : List.of(alicePassword, bobPassword, carolPassword)) {
      for (Run run : runs) {
        assertFalse(run.all().contains(password) && !run.err().contains("can be seen by other users"),
            "a password in the output of fink_kafka: " + run);
      }
      try (Stream<Path> files = Files.walk(data)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(password),
              "a password in " + file);
        }
      }
    }
  }

  private static Path ownerOnly(Path file) throws IOException {
    return Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  private static ByteArrayInputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Properties login(String user, String password) {
    Properties props = new Properties();
    props.putAll(KafkaSecurity.scram("SCRAM-SHA-512", user, Secret.of(password)).clientProperties());
    return props;
  }

  private static void produce(String servers, Properties login, String topic, int count) throws Exception {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
      }
    }
  }

  private static int consume(String servers, Properties login, String topic, String group, int count) {
    Properties props = new Properties();
    props.putAll(login);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    int received = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received < count && System.nanoTime() < deadline) {
        received += consumer.poll(Duration.ofMillis(500)).count();
      }
      consumer.commitSync(Duration.ofSeconds(30));
    }
    return received;
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
    return freePortRange(1);
  }

  /** A first port such that {@code count} client ports and their controller ports (+1000) are free. */
  private static int freePortRange(int count) {
    return LocalClusterSpec.freePort(count);
  }

}
