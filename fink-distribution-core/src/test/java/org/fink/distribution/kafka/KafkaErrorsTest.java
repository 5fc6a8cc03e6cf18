package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.fink.distribution.KafkaProblem.Kind;
import org.junit.jupiter.api.Test;

/**
 * The Kafka error translator, fed by a mocked {@link Admin} client whose requests fail as Kafka's futures do: each
 * error becomes a {@link KafkaSetupException} of the right kind, naming the address, the action and the culprit.
 */
class KafkaErrorsTest {
  private static final String SERVERS = "broker-1:9093";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** An admin client whose topic listing ends with {@code future}. */
  private static AdminRequests listingEndsWith(KafkaFuture<Set<String>> future, Duration timeout) {
    Admin admin = mock(Admin.class);
    ListTopicsResult listing = mock(ListTopicsResult.class);
    when(admin.listTopics()).thenReturn(listing);
    when(listing.names()).thenReturn(future);
    return new AdminRequests(admin, SERVERS, "alerce", timeout, KafkaSetupException::new);
  }

  private static KafkaSetupException listingFails(Throwable kafkaError) {
    KafkaFutureImpl<Set<String>> failed = new KafkaFutureImpl<>();
    failed.completeExceptionally(kafkaError);
    AdminRequests requests = listingEndsWith(failed, TIMEOUT);
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> requests.await(requests.admin().listTopics().names(), "listing topics"));
    assertSame(kafkaError, e.getCause(), "Kafka's own error is the cause");
    assertEquals(e.getMessage(), e.kafkaProblem().orElseThrow().message());
    assertEquals(SERVERS, e.kafkaProblem().orElseThrow().servers());
    return e;
  }

  private static Kind kind(KafkaSetupException e) {
    return e.kafkaProblem().orElseThrow().kind();
  }

  @Test
  void aSucceedingRequestGivesItsResult() {
    AdminRequests requests = listingEndsWith(KafkaFuture.completedFuture(Set.of("fink_outstream")), TIMEOUT);
    assertEquals(Set.of("fink_outstream"), requests.await(requests.admin().listTopics().names(), "listing topics"));
  }

  @Test
  void refusedCredentialsNameTheAddressAndTheFix() {
    KafkaSetupException e = listingFails(new SaslAuthenticationException("invalid credentials"));
    assertEquals(Kind.AUTHENTICATION_FAILED, kind(e));
    assertEquals("authentication to Kafka at " + SERVERS + " failed: invalid credentials (check the user name, its"
        + " password and the SASL mechanism)", e.getMessage());
    assertEquals("alerce", e.kafkaProblem().orElseThrow().user());
  }

  @Test
  void aMissingAclNamesTheActionTheUserAndTheTopic() {
    KafkaSetupException e = listingFails(new TopicAuthorizationException(Set.of("fink_outstream")));
    assertEquals(Kind.NOT_AUTHORIZED, kind(e));
    assertTrue(e.getMessage().startsWith("listing topics on " + SERVERS + " was denied: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("(no ACL allows it to user alerce)"), e.getMessage());
    assertEquals("fink_outstream", e.kafkaProblem().orElseThrow().topic());
    assertEquals(Kind.NOT_AUTHORIZED, kind(listingFails(new ClusterAuthorizationException("cluster"))));
  }

  @Test
  void eachKafkaErrorHasItsKind() {
    assertEquals(Kind.UNKNOWN_TOPIC, kind(listingFails(new UnknownTopicOrPartitionException("no such topic"))));
    assertEquals(Kind.TOPIC_EXISTS, kind(listingFails(new TopicExistsException("exists"))));
    assertEquals(Kind.INVALID_REPLICATION_FACTOR, kind(listingFails(new InvalidReplicationFactorException("3 > 1"))));
    assertEquals(Kind.UNKNOWN_GROUP, kind(listingFails(new GroupIdNotFoundException("g"))));
    KafkaSetupException invalid = listingFails(new InvalidTopicException("bad name!"));
    assertEquals(Kind.INVALID_TOPIC, kind(invalid));
    assertEquals("listing topics failed: invalid topic name: bad name!", invalid.getMessage());
    KafkaSetupException policy = listingFails(new PolicyViolationException("retention too long"));
    assertEquals(Kind.POLICY_VIOLATION, kind(policy));
    assertTrue(policy.getMessage().contains("refused by the cluster's policy: retention too long"));
    KafkaSetupException noAcls = listingFails(new SecurityDisabledException("no authorizer"));
    assertEquals(Kind.NO_AUTHORIZER, kind(noAcls));
    assertTrue(noAcls.getMessage().contains("the cluster has no authorizer"), noAcls.getMessage());
    KafkaSetupException other = listingFails(new UnknownServerException("disk on fire"));
    assertEquals(Kind.OTHER, kind(other));
    assertEquals("listing topics on " + SERVERS + " failed: disk on fire", other.getMessage());
  }

  @Test
  void kafkasOwnTimeoutIsAnUnreachableCluster() {
    KafkaSetupException e = listingFails(new TimeoutException("Timed out waiting for a node assignment"));
    assertEquals(Kind.UNREACHABLE, kind(e));
    assertTrue(e.getMessage().startsWith("Kafka at " + SERVERS + " did not answer within 5 s while listing topics"),
        e.getMessage());
  }

  @Test
  void aFutureThatNeverCompletesTimesOut() {
    AdminRequests requests = listingEndsWith(new KafkaFutureImpl<>(), Duration.ofMillis(200));
    long start = System.nanoTime();
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> requests.await(requests.admin().listTopics().names(), "listing topics"));
    assertEquals(Kind.UNREACHABLE, kind(e));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000, "gave up within the deadline");
  }

  @Test
  void anInterruptedWaitKeepsTheInterruptFlag() {
    AdminRequests requests = listingEndsWith(new KafkaFutureImpl<>(), TIMEOUT);
    Thread.currentThread().interrupt();
    KafkaSetupException e = assertThrows(KafkaSetupException.class,
        () -> requests.await(requests.admin().listTopics().names(), "listing topics"));
    assertTrue(Thread.interrupted(), "interrupt flag restored (and cleared here)");
    assertEquals(Kind.INTERRUPTED, kind(e));
  }

  @Test
  void theCauseOfAnExecutionExceptionIsTranslated() {
    UnknownTopicOrPartitionException kafka = new UnknownTopicOrPartitionException("gone");
    assertSame(kafka, KafkaErrors.unwrap(new ExecutionException(new ExecutionException(kafka))));
    assertEquals(Kind.UNKNOWN_TOPIC, KafkaErrors.kindOf(new ExecutionException(kafka)));
    assertEquals(Kind.UNREACHABLE, KafkaErrors.kindOf(new java.util.concurrent.TimeoutException()));
  }

  @Test
  void aRefusedWriteNamesTheTopicAndTheGrant() {
    RuntimeException sparkFailure = new RuntimeException("job aborted",
        new IllegalStateException("producer failed", new TopicAuthorizationException(Set.of("fink_outstream"))));
    TopicAuthorizationException refusal = (TopicAuthorizationException) KafkaErrors.brokerAnswer(sparkFailure)
        .orElseThrow();
    KafkaProblem problem = KafkaErrors.publishRefused(refusal, SERVERS, "alerce");
    assertEquals(Kind.WRITE_NOT_AUTHORIZED, problem.kind());
    assertEquals("fink_outstream", problem.topic());
    assertTrue(problem.message().endsWith("grant user alerce the producer ACL on topic fink_outstream"),
        problem.message());
    assertFalse(KafkaErrors.brokerAnswer(new RuntimeException("no Kafka here")).isPresent());
  }

  @Test
  void closingClosesTheClientWithADeadline() {
    AdminRequests requests = listingEndsWith(new KafkaFutureImpl<>(), TIMEOUT);
    requests.close();
    verify(requests.admin()).close(Duration.ofSeconds(5));
  }

  @Test
  void theSaslUserIsReadFromTheJaasConfiguration() {
    java.util.Properties props = new java.util.Properties();
    assertNull(AdminRequests.saslUser(props));
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
        + " username=\"al\\\"ce\" password=\"secret\";");
    assertEquals("al\"ce", AdminRequests.saslUser(props));
  }
}
