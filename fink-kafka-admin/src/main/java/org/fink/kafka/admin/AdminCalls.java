package org.fink.kafka.admin;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * One Kafka {@link Admin} client and how its requests are awaited: a deadline, and failures turned into
 * {@link KafkaAdminException}s that say what was being done, where, and what to check (address, credentials, ACLs).
 * Shared by {@link FinkKafkaAdmin}, {@link ScramUsers} and {@link KafkaAcls}.
 */
final class AdminCalls {
  final Admin admin;
  final String bootstrapServers;
  final Duration apiTimeout;

  AdminCalls(Admin admin, String bootstrapServers, Duration apiTimeout) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
    this.apiTimeout = apiTimeout;
  }

  /**
   * The result of a request, within the API timeout (plus 5 s of slack).
   *
   * @param action what the request does, for messages: "creating topic t", "listing ACLs"
   * @throws KafkaAdminException with the Kafka error as cause
   */
  <T> T await(KafkaFuture<T> future, String action) {
    try {
      return future.get(apiTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAdminException("interrupted while " + action + " on " + bootstrapServers, e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw unreachable(action, e);
    } catch (ExecutionException e) {
      throw failure(action, e.getCause() == null ? e : e.getCause());
    }
  }

  /** The exception a failed request becomes. */
  KafkaAdminException failure(String action, Throwable cause) {
    if (cause instanceof TimeoutException) {
      return unreachable(action, cause);
    }
    if (cause instanceof AuthenticationException) {
      return authenticationFailed(bootstrapServers, cause);
    }
    if (cause instanceof AuthorizationException) {
      return new KafkaAdminException(action + " on " + bootstrapServers + " was denied: " + cause.getMessage()
          + " (no ACL allows it to this user)", cause);
    }
    if (cause instanceof SecurityDisabledException) {
      return new KafkaAdminException(action + " on " + bootstrapServers + " failed: the cluster has no authorizer,"
          + " so no ACLs (a local cluster has them in security mode, DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT)",
          cause);
    }
    if (cause instanceof InvalidTopicException) {
      return new KafkaAdminException(action + " failed: invalid topic name: " + cause.getMessage(), cause);
    }
    String detail = cause instanceof ApiException ? cause.getMessage() : rootMessage(cause);
    return new KafkaAdminException(action + " on " + bootstrapServers + " failed: " + detail, cause);
  }

  KafkaAdminException unreachable(String action, Throwable cause) {
    return new KafkaAdminException("Kafka at " + bootstrapServers + " did not answer within " + seconds(apiTimeout)
        + " s while " + action + ": is the cluster running, is the address right, and do the security settings"
        + " match its listeners?", cause);
  }

  static KafkaAdminException authenticationFailed(String bootstrapServers, Throwable cause) {
    return new KafkaAdminException("authentication to Kafka at " + bootstrapServers + " failed: "
        + cause.getMessage() + " (check the user name, its password and the SASL mechanism)", cause);
  }

  static long seconds(Duration duration) {
    return Math.max(1, Math.round(duration.toMillis() / 1000.0));
  }

  static String rootMessage(Throwable error) {
    if (error == null) {
      return "no answer";
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
