package org.fink.distribution.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the one-partition service topics (schemas, commit markers) the first time they are needed. */
final class TopicCreation {
  private TopicCreation() {}

  /**
   * Creates {@code name} with one partition, replicated up to 3 times, with {@code configs}, unless it exists (or
   * another client creates it meanwhile). Kafka's refusal comes out as the {@link ExecutionException}'s cause.
   */
  static void createIfMissing(Properties adminProperties, String name, Map<String, String> configs)
      throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(adminProperties)) {
      if (admin.listTopics().names().get().contains(name)) {
        return;
      }
      NewTopic topic = new NewTopic(name, 1, (short) Math.min(3, admin.describeCluster().nodes().get().size()))
          .configs(configs);
      admin.createTopics(List.of(topic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
