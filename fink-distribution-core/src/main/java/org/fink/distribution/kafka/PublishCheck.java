package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.fink.distribution.FinkException;
import org.fink.distribution.KafkaProblem.Kind;

/**
 * Checks, before anything is published, that the Kafka cluster answers, that the credentials work, that every
 * topic exists and that the user may write to it (its ACLs allow WRITE); and reads each topic's largest message
 * size. Fails within seconds with a {@link KafkaSetupException} naming the address, the user or the topic (its
 * {@link KafkaProblem} says which), instead of a producer that blocks and retries for minutes, or a write refused in
 * the middle of a Spark job.
 *
 * <pre>{@code
 * Map<String, Integer> maxBytes = PublishCheck.check("127.0.0.1:9092", new Properties(), List.of("fink_outstream"));
 * }</pre>
 */
public final class PublishCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private PublishCheck() {}

  /** Throws a {@link KafkaSetupException} when publishing to {@code topics} cannot work; else their max.message.bytes. */
  public static Map<String, Integer> check(String servers, Properties clientProperties, Collection<String> topics) {
    try (AdminRequests requests = AdminRequests.open(servers, clientProperties, TIMEOUT, KafkaSetupException::new)) {
      requests.await(requests.admin().describeCluster().nodes(), "describing the cluster");
      checkTopics(requests, topics);
      return maxMessageBytes(requests, topics);
    }
  }

  /**
   * Each topic exists and may be written by this client: a topic the user may not even see (no ACL) is reported as
   * such, not as missing (Kafka hides it either way); one it may see but not write names the missing WRITE ACL.
   */
  private static void checkTopics(AdminRequests requests, Collection<String> topics) {
    List<String> distinct = topics.stream().distinct().toList();
    Map<String, KafkaFuture<TopicDescription>> described = requests.admin().describeTopics(distinct,
        new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
    List<String> missing = new ArrayList<>();
    List<String> hidden = new ArrayList<>();
    List<String> readOnly = new ArrayList<>();
    for (String topic : distinct) {
      try {
        Set<AclOperation> allowed = requests.await(described.get(topic), "describing topic " + topic)
            .authorizedOperations();
        if (allowed != null && !allowed.contains(AclOperation.WRITE) && !allowed.contains(AclOperation.ALL)) {
          readOnly.add(topic);
        }
      } catch (FinkException e) {
        Kind kind = e.kafkaProblem().map(KafkaProblem::kind).orElse(Kind.OTHER);
        if (kind == Kind.UNKNOWN_TOPIC) {
          missing.add(topic);
        } else if (kind == Kind.NOT_AUTHORIZED) {
          hidden.add(topic);
        } else {
          throw e;
        }
      }
    }
    String servers = requests.servers();
    String user = requests.user();
    String who = user == null ? "this client" : "user " + user;
    if (!hidden.isEmpty()) {
      throw new KafkaSetupException(new KafkaProblem(Kind.WRITE_NOT_AUTHORIZED, who + " is not allowed to use topic"
          + plural(hidden) + " " + String.join(", ", hidden) + " on " + servers + " (no ACL lets it describe or write "
          + (hidden.size() > 1 ? "them" : "it") + "; Kafka does not say whether " + (hidden.size() > 1
          ? "they exist" : "it exists") + "); as an admin, " + grant(who, hidden), servers, hidden.get(0), user),
          null);
    }
    if (!missing.isEmpty()) {
      throw new KafkaSetupException(new KafkaProblem(Kind.UNKNOWN_TOPIC, "topic" + plural(missing) + " "
          + String.join(", ", missing) + " do" + (missing.size() > 1 ? "" : "es") + " not exist on " + servers
          + "; create " + (missing.size() > 1 ? "them" : "it") + " first", servers, missing.get(0), user), null);
    }
    if (!readOnly.isEmpty()) {
      throw new KafkaSetupException(new KafkaProblem(Kind.WRITE_NOT_AUTHORIZED, who + " may not write to topic"
          + plural(readOnly) + " " + String.join(", ", readOnly) + " on " + servers + " (no WRITE ACL); as an admin, "
          + grant(who, readOnly), servers, readOnly.get(0), user), null);
    }
  }

  private static String grant(String who, List<String> topics) {
    return "grant " + (who.equals("this client") ? "its user" : who) + " the producer ACL on topic" + plural(topics)
        + " " + String.join(", ", topics);
  }

  private static String plural(List<String> items) {
    return items.size() > 1 ? "s" : "";
  }

  private static Map<String, Integer> maxMessageBytes(AdminRequests requests, Collection<String> topics) {
    Map<String, Integer> max = new HashMap<>();
    List<ConfigResource> resources = topics.stream().distinct()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = requests.await(requests.admin().describeConfigs(resources).all(), "reading the topics' configuration");
    } catch (FinkException e) {
      if (e.kafkaProblem().map(KafkaProblem::kind).orElse(Kind.OTHER) == Kind.NOT_AUTHORIZED) {
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
}
