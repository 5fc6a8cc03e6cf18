package org.fink.distribution.rules;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stream of the distribution: the alerts that pass all of {@code filter} go to {@code topic}, each holding the
 * fields of {@code select} minus those of {@code drop}, with their nesting kept.
 *
 * <pre>{@code
 * DistributionStream bright = Rules.stream("bright").topic("fink_bright_ztf")
 *     .select("objectId", "candidate").filter(field("candidate.magpsf").lt(18)).build();
 * }</pre>
 *
 * @param name stream name (also sent in the message headers): letters, digits, {@code . _ -}
 * @param topic Kafka topic, or null for the configured default ({@code DISTRIBUTION_TOPIC})
 * @param select fields to distribute; empty means all fields
 * @param drop fields removed after selection
 * @param filter conditions, all of which must hold (AND)
 */
public record DistributionStream(String name, String topic, List<FieldPath> select, List<FieldPath> drop,
    List<Condition> filter) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  public DistributionStream {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("stream name \"" + name + "\" may hold only letters, digits, '.', '_'"
          + " and '-'");
    }
    if (topic != null && (!NAME.matcher(topic).matches() || topic.length() > 249 || topic.equals(".")
        || topic.equals(".."))) {
      throw new IllegalArgumentException("topic \"" + topic + "\" is not a valid Kafka topic name: use at most 249"
          + " letters, digits, '.', '_' and '-'");
    }
    select = List.copyOf(select);
    drop = List.copyOf(drop);
    filter = List.copyOf(filter);
  }

  /** The topic to publish to: this stream's, or {@code defaultTopic}. */
  public String topicOr(String defaultTopic) {
    return topic == null ? defaultTopic : topic;
  }
}
