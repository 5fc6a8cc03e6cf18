package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.config.Secret;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.kafka.KafkaSetupException;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.AclEntry;
import org.fink.kafka.admin.ClientAccess;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.fink.kafka.admin.TopicSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution against a Kafka broker in security mode (SASL_PLAINTEXT with SCRAM-SHA-512, ACLs): wrong
 * credentials and a user without the right to write the topic are each a clear error naming the problem, reported
 * before anything is published. One secured broker for the class.
 */
class SecuredKafkaFailuresTest {
  private static final DistributionRules ALL = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));
  private static final String MECHANISM = "SCRAM-SHA-512";

  @TempDir static Path work;
  static SparkSession spark;
  static ScienceDb db;
  static EmbeddedKafkaBroker broker;
  static FinkKafkaAdmin admin;
  static String servers;
  static String topic;
  static final String WRITER_PASSWORD = "writer-pw-" + UUID.randomUUID();
  static final String READER_PASSWORD = "reader-pw-" + UUID.randomUUID();

  @BeforeAll
  static void securedBrokerAndUsers() throws IOException {
    spark = TestSpark.session();
    SyntheticAlerts.ztf(37).writeContainerFiles(work.resolve("alerts"), 6, 1);
    db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);

    broker = EmbeddedKafkaBroker.builder().superUser("fink-admin", "admin-pw-" + UUID.randomUUID()).build().start();
    servers = broker.bootstrapServers();
    admin = FinkKafkaAdmin.connect(servers, broker.superUserClientProperties());
    topic = "secured-" + UUID.randomUUID();
    admin.createTopic(TopicSpec.named(topic));
    admin.scramUsers().upsert("writer", WRITER_PASSWORD.toCharArray());
    admin.scramUsers().upsert("reader", READER_PASSWORD.toCharArray());
    admin.scramUsers().upsert("nobody", "nobody-pw".toCharArray());
    admin.acls().grant(ClientAccess.producer("writer", "*", topic));
    admin.acls().grant(ClientAccess.consumer("reader", "*", topic, "spark-kafka-"));
    awaitAcls(11); // 2 + 3 on the topic, 4 + 2 on its schema topic
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** ACLs reach the broker's authorizer through the metadata log a moment after the controller accepted them. */
  private static void awaitAcls(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<AclEntry> acls = admin.acls().list();
    while (acls.size() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      acls = admin.acls().list();
    }
    assertEquals(count, acls.size(), acls.toString());
  }

  private static Distribution.Builder distributionAs(String user, String password) {
    Map<String, String> login = KafkaSecurity.scram(MECHANISM, user, Secret.of(password)).clientProperties();
    return Distribution.builder().spark(spark).scienceDb(db).rules(ALL).servers(servers).defaultTopic(topic)
        .checkpoint(work.resolve("checkpoint-" + UUID.randomUUID()).toString()).schemaTopic(null)
        .kafkaOptions(login);
  }

  private static long published() {
    return admin.describeTopic(topic).messageCount();
  }

  @Test
  void wrongPasswordIsReportedWithinSeconds() {
    long start = System.nanoTime();
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distributionAs("writer", "not-the-password").build().runOnce());
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    assertTrue(e.getMessage().startsWith("authentication to Kafka at " + servers + " failed"), e.getMessage());
    assertTrue(e.getMessage().contains("check the user name, its password"), e.getMessage());
    assertEquals(KafkaProblem.Kind.AUTHENTICATION_FAILED, e.kafkaProblem().orElseThrow().kind());
    assertEquals("writer", e.kafkaProblem().orElseThrow().user());
    assertTrue(!e.getMessage().contains("not-the-password"), "no password in the message");
    assertTrue(seconds < 15, "reported after " + seconds + " s");
    assertEquals(0, published(), "nothing published");
  }

  @Test
  void unknownUserIsReportedWithinSeconds() {
    long start = System.nanoTime();
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distributionAs("mallory", "whatever").build().runOnce());
    assertTrue(e.getMessage().startsWith("authentication to Kafka at " + servers + " failed"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15);
  }

  @Test
  void userWithoutWriteOnTheTopicGetsAnAuthorizationErrorNamingIt() {
    long start = System.nanoTime();
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distributionAs("reader", READER_PASSWORD).build().runOnce());
    assertTrue(e.getMessage().contains("reader") && e.getMessage().contains("write")
        && e.getMessage().contains(topic), e.getMessage());
    assertTrue(e.getMessage().contains("grant user reader the producer ACL on topic " + topic), e.getMessage());
    KafkaProblem problem = e.kafkaProblem().orElseThrow();
    assertEquals(KafkaProblem.Kind.WRITE_NOT_AUTHORIZED, problem.kind());
    assertEquals("reader", problem.user());
    assertEquals(topic, problem.topic());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15);
    assertEquals(0, published(), "nothing published");
  }

  @Test
  void userWithNoAclAtAllIsNotToldTheTopicIsMissing() {
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> distributionAs("nobody", "nobody-pw").build().runOnce());
    assertTrue(e.getMessage().contains("nobody") && e.getMessage().contains(topic), e.getMessage());
    assertTrue(!e.getMessage().contains("does not exist"), e.getMessage());
    assertEquals(KafkaProblem.Kind.WRITE_NOT_AUTHORIZED, e.kafkaProblem().orElseThrow().kind());
    assertEquals(0, published(), "nothing published");
  }

  /**
   * Exactly once in security mode, with what {@code fink_kafka --authorization} grants: the transactional ids
   * ({@code -p --transactional}), and the commits topic written and read. Each ACL set is removed afterwards.
   */
  @Test
  void exactlyOnceRunsWithTheTransactionalAclsThatFinkKafkaGrants() {
    String once = "secured-once-" + UUID.randomUUID();
    String commits = "secured-commits-" + UUID.randomUUID();
    admin.createTopic(TopicSpec.named(once));
    admin.createTopic(TopicSpec.named(commits));
    List<ClientAccess> grants = List.of(ClientAccess.transactionalProducer("writer", "*", once),
        ClientAccess.producer("writer", "*", commits), ClientAccess.consumer("writer", "*", commits, "fink-commits-"));
    int before = admin.acls().list().size();
    grants.forEach(admin.acls()::grant);
    try {
      // 8 (transactional producer) + 6 (producer) + 5 (consumer), each with the schema topic, - 2 (DESCRIBE on the
      // commits topic and on its schema topic, granted twice)
      awaitAclCount(before + 17);
      DistributionProgress.Summary done = distributionAs("writer", WRITER_PASSWORD).defaultTopic(once)
          .commitsTopic(commits).delivery(DeliveryGuarantee.EXACTLY_ONCE).build().runOnce();
      assertEquals(6, done.messagesPublished(), "every alert published, in transactions");
      assertTrue(admin.describeTopic(once).messageCount() >= 6, "the messages and their commit markers are in");
    } finally {
      grants.forEach(admin.acls()::revoke);
      awaitAclCount(before);
    }
  }

  /** Waits until the brokers report exactly {@code count} ACLs. */
  private static void awaitAclCount(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<AclEntry> acls = admin.acls().list();
    while (acls.size() != count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      acls = admin.acls().list();
    }
    assertEquals(count, acls.size(), acls.toString());
  }

  /**
   * The pre-flight passes, then the user loses WRITE while the distribution runs: the query stops at the next batch
   * and the error is Kafka's one line with what to do, not Spark's pages of plan and stack traces.
   */
  @Test
  void writePermissionRevokedWhileRunningStopsWithKafkasOneLineCause() throws Exception {
    String revokable = "revoked-" + UUID.randomUUID();
    admin.createTopic(TopicSpec.named(revokable));
    ClientAccess access = ClientAccess.producer("writer", "*", revokable);
    admin.acls().grant(access);
    awaitAcls(17); // 11 + 2 on the topic, 4 on its schema topic
    ScienceDb growing = new ScienceDb(spark, work.resolve("db-growing").toString(), "parquet");
    SyntheticAlerts.ztf(41).writeContainerFiles(work.resolve("alerts-1"), 3, 1);
    new SurveyIngest(spark).ingest(work.resolve("alerts-1"), growing);
    try (RunningDistribution running = distributionAs("writer", WRITER_PASSWORD).scienceDb(growing)
        .defaultTopic(revokable).triggerSeconds(0.5).build().start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (admin.describeTopic(revokable).messageCount() < 3 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
      assertEquals(3, admin.describeTopic(revokable).messageCount(), "published while allowed");
      admin.acls().revoke(access);
      awaitAcls(11); // 2 + 3 on the topic, 4 + 2 on its schema topic
      SyntheticAlerts.ztf(43).writeContainerFiles(work.resolve("alerts-2"), 3, 1);
      new SurveyIngest(spark).ingest(work.resolve("alerts-2"), growing);
      DistributionException failed = assertThrows(DistributionException.class,
          () -> running.awaitTermination(Duration.ofSeconds(60)));
      String message = failed.getMessage();
      assertTrue(message.startsWith("distribution failed: Kafka refused to publish to " + revokable + ": "),
          message);
      assertTrue(message.contains("Not authorized to access topics: [" + revokable + "]"), message);
      assertTrue(message.contains("the producer ACL on topic " + revokable), message);
      assertEquals(KafkaProblem.Kind.WRITE_NOT_AUTHORIZED, failed.kafkaProblem().orElseThrow().kind());
      assertEquals(revokable, failed.kafkaProblem().orElseThrow().topic());
      assertTrue(message.length() < 500 && !message.contains("\n"), "one paragraph: " + message);
      assertEquals(3, admin.describeTopic(revokable).messageCount(), "nothing published once refused");
    }
  }
}
