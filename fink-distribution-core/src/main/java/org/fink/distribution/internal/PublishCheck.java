package org.fink.distribution.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.fink.distribution.kafka.KafkaSetupException;

/**
 * Checks, before anything is published, that the Kafka cluster answers, that the credentials work, that every
 * topic exists and that the user may write to it (its ACLs allow WRITE); and reads each topic's largest message
 * size. Fails within seconds with a message naming the address, the user or the topic, instead of a producer that
 * blocks and retries for minutes, or a write refused in the middle of a Spark job.
 *
 * <pre>{@code
 * Map<String, Integer> maxBytes = PublishCheck.check("127.0.0.1:9092", new Properties(), List.of("fink_outstream"));
 * }</pre>
 */
public final class PublishCheck {
  private static final long TIMEOUT_SECONDS = 10;
  private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PublishCheck() {}

  /** Throws a {@link KafkaSetupException} when publishing to {@code topics} cannot work; else their max.message.bytes. */
  public static Map<String, Integer> check(String servers, Properties clientProperties, Collection<String> topics) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_SECONDS * 1000));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_SECONDS * 1000));
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      checkTopics(admin, servers, user(clientProperties), topics);
      return maxMessageBytes(admin, topics);
    } catch (TimeoutException e) {
      throw new KafkaSetupException("Kafka at " + servers + " does not answer (within " + TIMEOUT_SECONDS
          + " s); check DISTRIBUTION_SERVERS and that the cluster is running (bin/fink_kafka status)");
    } catch (ExecutionException e) {
      throw explain(servers, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while checking Kafka at " + servers);
    }
  }

  /**
   * Each topic exists and may be written by this client: a topic the user may not even see (no ACL) is reported as
   * such, not as missing (Kafka hides it either way); one it may see but not write names the missing WRITE ACL.
   */
  private static void checkTopics(Admin admin, String servers, String user, Collection<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<String> distinct = topics.stream().distinct().toList();
    Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(distinct,
        new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
    List<String> missing = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    List<String> readOnly = new ArrayList<>();
    for (String topic : distinct) {
      try {
        Set<AclOperation> allowed = described.get(topic).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .authorizedOperations();
        if (allowed != null && !allowed.contains(AclOperation.WRITE) && !allowed.contains(AclOperation.ALL)) {
          readOnly.add(topic);
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          missing.add(topic);
        } else if (e.getCause() instanceof TopicAuthorizationException) {
          hidden.add(topic);
        } else {
          throw e;
        }
      }
    }
    String who = user == null ? "this client" : "user " + user;
    String grant = "bin/fink_kafka --authorization -a -u " + (user == null ? "USER" : user) + " -H '*' -p -t ";
    if (!hidden.isEmpty()) {
      throw new KafkaSetupException(who + " is not allowed to use topic" + plural(hidden) + " "
          + String.join(", ", hidden) + " on " + servers + " (no ACL lets it describe or write "
          + (hidden.size() > 1 ? "them" : "it") + "; Kafka does not say whether " + (hidden.size() > 1
          ? "they exist" : "it exists") + "); allow it as an admin: " + grant + hidden.get(0));
    }
    if (!missing.isEmpty()) {
      throw new KafkaSetupException("topic" + plural(missing) + " " + String.join(", ", missing)
          + " do" + (missing.size() > 1 ? "" : "es") + " not exist on " + servers + "; create "
          + (missing.size() > 1 ? "them" : "it") + " first (bin/fink_kafka --create-topic " + missing.get(0)
          + ")");
    }
    if (!readOnly.isEmpty()) {
      throw new KafkaSetupException(who + " may not write to topic" + plural(readOnly) + " "
          + String.join(", ", readOnly) + " on " + servers + " (no WRITE ACL); allow it as an admin: " + grant
          + readOnly.get(0));
    }
  }

  private static String plural(List<String> items) {
    return items.size() > 1 ? "s" : "";
  }

  /** The SASL user name in the client's JAAS configuration, or null without one. */
  static String user(Properties clientProperties) {
    Object jaas = clientProperties.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas == null) {
      return null;
    }
    Matcher matcher = JAAS_USERNAME.matcher(jaas.toString());
    return matcher.find() ? matcher.group(1).replaceAll("\\\\(.)", "$1") : null;
  }

  private static Map<String, Integer> maxMessageBytes(Admin admin, Collection<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, Integer> max = new HashMap<>();
    List<ConfigResource> resources = topics.stream().distinct()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        return max; // allowed to write but not to describe configs: the broker enforces the limit itself
      }
      throw e;
    }
    configs.forEach((resource, config) -> {
      ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (entry != null && entry.value() != null) {
        max.put(resource.name(), Integer.parseInt(entry.value()));
      }
    });
    return max;
  }

  private static KafkaSetupException explain(String servers, Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return new KafkaSetupException("Kafka at " + servers + " refused the credentials: " + cause.getMessage()
          + "; check DISTRIBUTION_USERNAME and its password");
    }
    if (cause instanceof AuthorizationException) {
      return new KafkaSetupException("Kafka at " + servers + " does not allow this user to list or describe topics: "
          + cause.getMessage());
    }
    if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return new KafkaSetupException("Kafka at " + servers + " does not answer (within " + TIMEOUT_SECONDS
          + " s); check DISTRIBUTION_SERVERS and that the cluster is running (bin/fink_kafka status)");
    }
    return new KafkaSetupException("cannot use Kafka at " + servers + ": " + cause.getMessage());
  }
}
