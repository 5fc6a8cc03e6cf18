package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;

/**
 * One stream of the distribution: the alerts that pass all of {@code filter} go to {@code topic}, each holding the
 * fields of {@code select} minus those of {@code drop}, with their nesting kept.
 *
 * @param name stream name (also sent in the message headers)
 * @param topic Kafka topic, or null for the configured default ({@code DISTRIBUTION_TOPIC})
 * @param select fields to distribute; empty means all fields
 * @param drop fields removed after selection
 * @param filter conditions, all of which must hold (AND)
 */
public record DistributionStream(String name, String topic, List<FieldPath> select, List<FieldPath> drop,
    List<Condition> filter) {
  public DistributionStream {
    Objects.requireNonNull(name, "name");
    select = List.copyOf(select);
    drop = List.copyOf(drop);
    filter = List.copyOf(filter);
  }

  /** The topic to publish to: this stream's, or {@code defaultTopic}. */
  public String topicOr(String defaultTopic) {
    return topic == null ? defaultTopic : topic;
  }
}
