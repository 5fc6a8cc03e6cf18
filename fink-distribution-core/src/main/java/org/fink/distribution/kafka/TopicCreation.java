package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.fink.distribution.FinkException;
import org.fink.distribution.KafkaProblem.Kind;

/** Creates the one-partition service topics (schemas, commit markers) the first time they are needed. */
final class TopicCreation {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private TopicCreation() {}

  /**
   * Creates {@code name} with one partition, replicated up to 3 times, with {@code configs}, unless it exists (or
   * another client creates it meanwhile); each request waits at most 15 s.
   *
   * @param role what the topic is, for messages: "the commits topic", "schema topic"
   * @param failure the exception a failure becomes; its problem is {@link Kind#CREATE_NOT_AUTHORIZED} when the user
   *     may not create the topic (an admin must)
   */
  static void createIfMissing(String servers, Properties clientProperties, String role, String name,
      Map<String, String> configs, AdminRequests.Failure failure) {
    try (AdminRequests requests = AdminRequests.open(servers, clientProperties, TIMEOUT, failure)) {
      try {
        if (requests.await(requests.admin().listTopics().names(), "listing topics").contains(name)) {
          return;
        }
        int brokers = requests.await(requests.admin().describeCluster().nodes(), "describing the cluster").size();
        NewTopic topic = new NewTopic(name, 1, (short) Math.min(3, brokers)).configs(configs);
        requests.await(requests.admin().createTopics(List.of(topic)).all(), "creating " + role + " " + name);
      } catch (FinkException e) {
        KafkaProblem problem = e.kafkaProblem().orElseThrow(() -> e);
        if (problem.kind() == Kind.TOPIC_EXISTS) {
          return;
        }
        String prefix = "cannot create " + role + " " + name + " on " + servers + ": ";
        if (problem.kind() == Kind.NOT_AUTHORIZED) {
          boolean compacted = TopicConfig.CLEANUP_POLICY_COMPACT.equals(configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
          throw failure.of(problem.withTopic(name).as(Kind.CREATE_NOT_AUTHORIZED, prefix + e.getCause().getMessage()
              + "; an admin must create it (one partition" + (compacted ? ", compacted" : "") + ")"), e.getCause());
        }
        throw failure.of(problem.withMessage(prefix + problem.message()), e.getCause());
      }
    }
  }
}
