package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.fink.distribution.FinkException;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.KafkaSetupException;
import org.fink.distribution.kafka.PublishCheck;
import org.fink.distribution.kafka.TlsFailure;
import org.fink.kafka.admin.MismatchedTlsListeners.Listener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each TLS mistake against a real broker ({@link MismatchedTlsListeners}): a certificate of another CA, an expired
 * one, one for another host name, TLS spoken to a plaintext port and plaintext to a TLS port. The distribution's
 * pre-flight check ({@link PublishCheck}), the admin client of {@code fink_kafka} and {@link AlertConsumer#poll} each
 * fail within seconds (never a hang) with a {@link KafkaProblem.Kind#TLS_MISMATCH} paragraph that says which mistake
 * it is and the fix.
 */
class TlsErrorCasesTest {
  /** Time-outs of 10 s at most, a 2 s probe, and slack for a loaded machine. */
  private static final Duration BOUND = Duration.ofSeconds(25);
  private static final String TOPIC = "tls-cases";
  private static MismatchedTlsListeners brokers;

  /** A TLS mistake: where the client connects, whether it speaks TLS, and what its error must say. */
  enum Case {
    WRONG_CA(Listener.WRONG_CA, true, "is not signed by the CA this client trusts", "DISTRIBUTION_SSL_CA_FILE"),
    EXPIRED(Listener.EXPIRED, true, "has expired", "renew it"),
    WRONG_HOST(Listener.WRONG_HOST, true, "does not name the host connected to", "KAFKA_LOCAL_TLS_NAMES"),
    TLS_TO_PLAINTEXT_PORT(Listener.PLAINTEXT, true, "does not speak TLS", "DISTRIBUTION_SECURITY_PROTOCOL"),
    PLAINTEXT_TO_TLS_PORT(Listener.GOOD, false, "speaks TLS but this client talks plaintext",
        "DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL");

    final Listener listener;
    final boolean tls;
    final String which;
    final String fix;

    Case(Listener listener, boolean tls, String which, String fix) {
      this.listener = listener;
      this.tls = tls;
      this.which = which;
      this.fix = fix;
    }

    String servers() {
      return brokers.servers(listener);
    }

    Properties login() {
      return brokers.clientProperties(tls);
    }

    void assertExplains(Throwable error, long startNanos) {
      Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
      assertTrue(took.compareTo(BOUND) < 0, this + " took " + took);
      assertTrue(error instanceof FinkException, this + ": " + error);
      FinkException fink = (FinkException) error;
      assertEquals(KafkaProblem.Kind.TLS_MISMATCH, fink.kafkaProblem().orElseThrow().kind(), fink.getMessage());
      String message = fink.getMessage();
      assertTrue(message.contains(servers()) && message.contains(which) && message.contains(fix),
          this + ": " + message);
      assertFalse(message.contains("\n"), "one paragraph: " + message);
      assertFalse(message.contains(brokers.password()), "no password in: " + message);
    }
  }

  @BeforeAll
  static void start() {
    brokers = MismatchedTlsListeners.start();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(brokers.servers(Listener.GOOD), brokers.clientProperties(true))) {
      admin.createTopic(TOPIC, 1, 1);
    }
  }

  @AfterAll
  static void stop() {
    if (brokers != null) {
      brokers.close();
    }
  }

  @Test
  void theRightSettingsWorkOnTheGoodListenerAndThePlaintextOne() {
    assertTrue(PublishCheck.check(brokers.servers(Listener.GOOD), brokers.clientProperties(true), List.of(TOPIC))
        .containsKey(TOPIC));
    PublishCheck.check(brokers.servers(Listener.PLAINTEXT), brokers.clientProperties(false), List.of(TOPIC));
    assertEquals(TlsFailure.Port.TLS, TlsFailure.probe(brokers.servers(Listener.GOOD)));
    assertEquals(TlsFailure.Port.PLAINTEXT, TlsFailure.probe(brokers.servers(Listener.PLAINTEXT)));
    assertEquals(TlsFailure.Port.NOT_LISTENING, TlsFailure.probe("127.0.0.1:1"));
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void theDistributionsPreflightCheckSaysWhichAndHowToFixIt(Case mistake) {
    long start = System.nanoTime();
    KafkaSetupException error = assertThrows(KafkaSetupException.class,
        () -> PublishCheck.check(mistake.servers(), mistake.login(), List.of(TOPIC)));
    mistake.assertExplains(error, start);
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void finkKafkasAdminClientSaysWhichAndHowToFixIt(Case mistake) {
    long start = System.nanoTime();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(mistake.servers(), mistake.login())) {
      KafkaAdminException error = assertThrows(KafkaAdminException.class, admin::listTopics);
      mistake.assertExplains(error, start);
    }
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void alertConsumerPollSaysWhichAndHowToFixItInsteadOfPollingForever(Case mistake) {
    AlertConsumer.Builder builder = AlertConsumer.builder().servers(mistake.servers()).topics(TOPIC)
        .schemaTopic(null);
    mistake.login().forEach((key, value) -> builder.clientProperty(key.toString(), value.toString()));
    long start = System.nanoTime();
    try (AlertConsumer consumer = builder.build()) {
      KafkaSetupException error = assertThrows(KafkaSetupException.class, () -> {
        while (System.nanoTime() - start < BOUND.toNanos()) {
          consumer.poll(Duration.ofMillis(500));
        }
      });
      mistake.assertExplains(error, start);
    }
  }
}
