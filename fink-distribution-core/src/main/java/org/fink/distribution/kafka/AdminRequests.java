package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.SaslConfigs;
import org.fink.distribution.FinkException;

/**
 * One Kafka {@link Admin} client whose every request is awaited within a deadline, its failures explained by
 * {@link KafkaErrors} and thrown as the caller's {@link FinkException} (carrying the {@link KafkaProblem}). The admin
 * client of the publish pre-flight check, the service topics' creation and {@code FinkKafkaAdmin}.
 *
 * <pre>{@code
 * try (AdminRequests requests = AdminRequests.open("127.0.0.1:9092", new Properties(), Duration.ofSeconds(10),
 *     KafkaSetupException::new)) {
 *   Set<String> topics = requests.await(requests.admin().listTopics().names(), "listing topics");
 * }
 * }</pre>
 */
public final class AdminRequests implements AutoCloseable {
  /** Slack given to a request's future beyond the client's own API timeout (at most the timeout itself). */
  private static final long SLACK_MS = 5_000;
  private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The exception a failed request becomes: one of this library's, with Kafka's error as cause. */
  @FunctionalInterface
  public interface Failure {
    FinkException of(KafkaProblem problem, Throwable cause);
  }

  private final Admin admin;
  private final String servers;
  private final String user;
  private final Duration timeout;
  private final Failure failure;
  /** The client's security.protocol, to tell TLS mismatches ({@link TlsFailure}); null: not told. */
  private final String protocol;

  /**
   * @param admin the client (closed by {@link #close()})
   * @param servers its bootstrap servers, for messages
   * @param user its SASL user, or null
   * @param timeout its API timeout: each request is awaited that long, plus a few seconds
   * @param failure the exception a failed request becomes
   */
  public AdminRequests(Admin admin, String servers, String user, Duration timeout, Failure failure) {
    this(admin, servers, user, timeout, failure, null);
  }

  private AdminRequests(Admin admin, String servers, String user, Duration timeout, Failure failure,
      String protocol) {
    this.protocol = protocol;
    this.admin = admin;
    this.servers = servers;
    this.user = user;
    this.timeout = timeout;
    this.failure = failure;
  }

  /**
   * An admin client of {@code servers}: request and API timeouts of {@code timeout}, reconnection within a second,
   * then {@code clientProperties} (security settings; timeouts given there win).
   */
  public static AdminRequests open(String servers, Properties clientProperties, Duration timeout, Failure failure) {
    Properties props = new Properties();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    Duration apiTimeout = Duration.ofMillis(Long.parseLong(
        props.getProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG).strip()));
    String user = saslUser(clientProperties);
    try {
      return new AdminRequests(Admin.create(props), servers, user, apiTimeout, failure,
          props.getProperty(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    } catch (KafkaException e) {
      throw failure.of(new KafkaProblem(KafkaProblem.Kind.OTHER, "cannot use Kafka bootstrap servers '" + servers
          + "': " + KafkaErrors.rootMessage(e), servers, null, user), e);
    }
  }

  /** The SASL user name in the client's JAAS configuration, or null without one. */
  public static String saslUser(Properties clientProperties) {
    Object jaas = clientProperties.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas == null) {
      return null;
    }
    Matcher matcher = JAAS_USERNAME.matcher(jaas.toString());
    return matcher.find() ? matcher.group(1).replaceAll("\\\\(.)", "$1") : null;
  }

  /**
   * The result of a request, within the API timeout (plus a few seconds).
   *
   * @param action what the request does, for messages: "creating topic t", "listing ACLs"
   * @throws FinkException the caller's, carrying the {@link KafkaProblem}, with Kafka's error as cause
   */
  public <T> T await(KafkaFuture<T> future, String action) {
    try {
      return future.get(timeout.toMillis() + Math.min(SLACK_MS, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(e, action);
    } catch (java.util.concurrent.TimeoutException e) {
      throw fail(e, action);
    } catch (ExecutionException e) {
      throw fail(e.getCause() == null ? e : e.getCause(), action);
    }
  }

  /** The exception that {@code error}, raised while doing {@code action}, becomes. */
  public FinkException fail(Throwable error, String action) {
    return failure.of(explain(error, action), error);
  }

  /**
   * The problem that {@code error}, raised while doing {@code action}, is: a TLS mismatch ({@link TlsFailure}, for a
   * client made by {@link #open}), else as {@link KafkaErrors} explains it.
   */
  public KafkaProblem explain(Throwable error, String action) {
    return TlsFailure.explain(error, servers, protocol)
        .map(message -> new KafkaProblem(KafkaProblem.Kind.TLS_MISMATCH, message, servers, null, user))
        .orElseGet(() -> KafkaErrors.explain(error, action, servers, timeout, user));
  }

  public Admin admin() {
    return admin;
  }

  public String servers() {
    return servers;
  }

  /** The SASL user, or null. */
  public String user() {
    return user;
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
