package org.fink.distribution.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.fink.distribution.kafka.KafkaSetupException;

/**
 * Checks, before anything is published, that the Kafka cluster answers, that the credentials work and that every
 * topic exists; and reads each topic's largest message size. Fails within seconds with a message naming the address
 * or the topic, instead of a producer that blocks and retries for minutes.
 *
 * <pre>{@code
 * Map<String, Integer> maxBytes = PublishCheck.check("127.0.0.1:9092", new Properties(), List.of("fink_outstream"));
 * }</pre>
 */
public final class PublishCheck {
  private static final long TIMEOUT_SECONDS = 10;

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
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> missing = topics.stream().filter(t -> !existing.contains(t)).distinct().toList();
      if (!missing.isEmpty()) {
        throw new KafkaSetupException("topic" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
            + " do" + (missing.size() > 1 ? "" : "es") + " not exist on " + servers + "; create "
            + (missing.size() > 1 ? "them" : "it") + " first (bin/fink_kafka --create-topic " + missing.get(0)
            + ")");
      }
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
