package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.fink.distribution.KafkaProblem.Kind;

/**
 * The one translator of Kafka's errors (an {@link ExecutionException} of a Kafka future, its cause, a timeout, a
 * refused login, a missing ACL, an unknown or invalid topic, a policy) into {@link KafkaProblem}s: a kind, and a
 * message that says what was being done, where, and what to fix.
 *
 * <pre>{@code
 * try {
 *   admin.listTopics().names().get(5, TimeUnit.SECONDS);
 * } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
 *   throw new KafkaSetupException(KafkaErrors.explain(e, "listing topics", servers, Duration.ofSeconds(5), null), e);
 * }
 * }</pre>
 */
public final class KafkaErrors {
  private KafkaErrors() {}

  /** Kafka's own error behind a failed call: the cause of an {@link ExecutionException} (nested), else the error. */
  public static Throwable unwrap(Throwable error) {
    Throwable unwrapped = error;
    while ((unwrapped instanceof ExecutionException || unwrapped instanceof CompletionException)
        && unwrapped.getCause() != null) {
      unwrapped = unwrapped.getCause();
    }
    return unwrapped;
  }

  /** Kafka's errors and the kind of problem each is, the first match winning. */
  private static final List<Map.Entry<Class<? extends Throwable>, Kind>> KINDS = List.of(
      Map.entry(TimeoutException.class, Kind.UNREACHABLE),
      Map.entry(java.util.concurrent.TimeoutException.class, Kind.UNREACHABLE),
      Map.entry(InterruptedException.class, Kind.INTERRUPTED),
      Map.entry(InterruptException.class, Kind.INTERRUPTED),
      Map.entry(AuthenticationException.class, Kind.AUTHENTICATION_FAILED),
      Map.entry(AuthorizationException.class, Kind.NOT_AUTHORIZED),
      Map.entry(SecurityDisabledException.class, Kind.NO_AUTHORIZER),
      Map.entry(UnknownTopicOrPartitionException.class, Kind.UNKNOWN_TOPIC),
      Map.entry(TopicExistsException.class, Kind.TOPIC_EXISTS),
      Map.entry(InvalidTopicException.class, Kind.INVALID_TOPIC),
      Map.entry(PolicyViolationException.class, Kind.POLICY_VIOLATION),
      Map.entry(InvalidReplicationFactorException.class, Kind.INVALID_REPLICATION_FACTOR),
      Map.entry(InvalidPartitionsException.class, Kind.INVALID_PARTITIONS),
      Map.entry(GroupIdNotFoundException.class, Kind.UNKNOWN_GROUP));

  /** The kind of problem an error of Kafka (or a failed call's {@link ExecutionException}) is. */
  public static Kind kindOf(Throwable error) {
    Throwable cause = unwrap(error);
    for (Map.Entry<Class<? extends Throwable>, Kind> known : KINDS) {
      if (known.getKey().isInstance(cause)) {
        return known.getValue();
      }
    }
    return Kind.OTHER;
  }

  /**
   * A failed request, explained.
   *
   * @param error the error of the request: Kafka's, its {@link ExecutionException}, or a timeout of the wait
   * @param action what the request does: "creating topic t", "listing ACLs"
   * @param servers the bootstrap servers asked
   * @param timeout how long the request was given (for the message of a timeout)
   * @param user the SASL user, or null
   */
  public static KafkaProblem explain(Throwable error, String action, String servers, Duration timeout, String user) {
    Throwable cause = unwrap(error);
    Kind kind = kindOf(cause);
    String topic = cause instanceof TopicAuthorizationException denied && !denied.unauthorizedTopics().isEmpty()
        ? denied.unauthorizedTopics().iterator().next() : null;
    String message = switch (kind) {
      case UNREACHABLE -> "Kafka at " + servers + " did not answer within " + seconds(timeout) + " s while " + action
          + ": is the cluster running, is the address right, and do the security settings match its listeners?";
      case INTERRUPTED -> "interrupted while " + action + " on " + servers;
      case AUTHENTICATION_FAILED -> authenticationMessage(servers, cause);
      case NOT_AUTHORIZED -> action + " on " + servers + " was denied: " + cause.getMessage()
          + " (no ACL allows it to " + (user == null ? "this user" : "user " + user) + ")";
      case NO_AUTHORIZER -> action + " on " + servers + " failed: the cluster has no authorizer, so no ACLs (start"
          + " the cluster in security mode to have them)";
      case INVALID_TOPIC -> action + " failed: invalid topic name: " + cause.getMessage();
      case POLICY_VIOLATION -> action + " on " + servers + " was refused by the cluster's policy: "
          + cause.getMessage();
      default -> action + " on " + servers + " failed: " + (cause instanceof ApiException ? cause.getMessage()
          : rootMessage(cause));
    };
    return new KafkaProblem(kind, message, servers, topic, user);
  }

  /** A request that got no answer within {@code timeout}. */
  public static KafkaProblem timedOut(String action, String servers, Duration timeout, String user) {
    return explain(new java.util.concurrent.TimeoutException(), action, servers, timeout, user);
  }

  /** The login to {@code servers} was refused. */
  public static KafkaProblem authenticationFailed(String servers, Throwable error, String user) {
    return new KafkaProblem(Kind.AUTHENTICATION_FAILED, authenticationMessage(servers, unwrap(error)), servers, null,
        user);
  }

  /**
   * The deepest error of Kafka in a failure's cause chain (a Spark job's, a producer's): the broker's own answer.
   */
  public static Optional<ApiException> brokerAnswer(Throwable error) {
    ApiException deepest = null;
    for (Throwable cause : causes(error)) {
      if (cause instanceof ApiException api) {
        deepest = api;
      }
    }
    return Optional.ofNullable(deepest);
  }

  /**
   * A producer's refusal, explained: the topic it may not write to (and the producer ACL to grant), refused
   * credentials, or Kafka's own message.
   *
   * @param refusal the broker's answer (see {@link #brokerAnswer})
   * @param user the SASL user, or null when unknown
   */
  public static KafkaProblem publishRefused(ApiException refusal, String servers, String user) {
    String who = user == null ? "the user" : "user " + user;
    if (refusal instanceof TopicAuthorizationException topics) {
      String topic = topics.unauthorizedTopics().isEmpty() ? null : topics.unauthorizedTopics().iterator().next();
      String names = topic == null ? "the topic" : String.join(", ", topics.unauthorizedTopics());
      return new KafkaProblem(Kind.WRITE_NOT_AUTHORIZED, "Kafka refused to publish to " + names + ": "
          + refusal.getMessage() + "; " + who + " needs WRITE on it: grant " + who + " the producer ACL on "
          + (topic == null ? "the topic" : "topic " + topic), servers, topic, user);
    }
    if (refusal instanceof ClusterAuthorizationException) {
      return new KafkaProblem(Kind.WRITE_NOT_AUTHORIZED, "Kafka refused to publish: " + refusal.getMessage()
          + " (an idempotent producer needs WRITE on the topics it writes; grant " + who + " the producer ACL on"
          + " each topic)", servers, null, user);
    }
    if (refusal instanceof AuthenticationException) {
      return new KafkaProblem(Kind.AUTHENTICATION_FAILED, "Kafka refused the credentials: " + refusal.getMessage()
          + "; check the user name and its password", servers, null, user);
    }
    return new KafkaProblem(kindOf(refusal), "Kafka error while publishing: " + refusal.getClass().getSimpleName()
        + ": " + refusal.getMessage(), servers, null, user);
  }

  /** The message of the innermost cause, or its class name. */
  public static String rootMessage(Throwable error) {
    if (error == null) {
      return "no answer";
    }
    List<Throwable> chain = causes(error);
    Throwable root = chain.get(chain.size() - 1);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** {@code duration} in whole seconds, at least 1. */
  public static long seconds(Duration duration) {
    return Math.max(1, Math.round(duration.toMillis() / 1000.0));
  }

  private static String authenticationMessage(String servers, Throwable cause) {
    return "authentication to Kafka at " + servers + " failed: " + cause.getMessage()
        + " (check the user name, its password and the SASL mechanism)";
  }

  /** {@code error} and its causes, outermost first (each once, even in a cyclic chain). */
  public static List<Throwable> causes(Throwable error) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
