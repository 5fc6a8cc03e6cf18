package org.fink.distribution.cli;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.fink.kafka.admin.PartitionDetails;
import org.fink.kafka.admin.TopicDetails;

/**
 * How {@code fink_kafka --describe-topic} prints a topic: a summary line, one line per partition, the main configs.
 *
 * <pre>
 * topic fink_outstream: 2 partitions, replication factor 1, 42 messages written, retention 168 h
 *   partition 0: leader 1, replicas [1], in-sync [1], end offset 20
 *   partition 1: leader 1, replicas [1], in-sync [1], end offset 22
 *   config: cleanup.policy=delete, retention.ms=604800000, ...
 * </pre>
 */
final class TopicDetailsText {
  /** Configs shown; the others are Kafka defaults users rarely look at. */
  static final List<String> SHOWN_CONFIGS = List.of("cleanup.policy", "retention.ms", "retention.bytes",
      "min.insync.replicas", "max.message.bytes", "compression.type", "segment.bytes", "message.timestamp.type");

  private TopicDetailsText() {
  }

  static String format(TopicDetails topic) {
    StringBuilder text = new StringBuilder();
    text.append("topic ").append(topic.name()).append(": ")
        .append(topic.partitions().size()).append(topic.partitions().size() == 1 ? " partition" : " partitions")
        .append(", replication factor ").append(topic.replicationFactor())
        .append(", ").append(topic.messageCount()).append(topic.messageCount() == 1 ? " message" : " messages")
        .append(" written").append(retention(topic)).append('\n');
    for (PartitionDetails p : topic.partitions()) {
      text.append("  partition ").append(p.partition())
          .append(": leader ").append(p.leader() < 0 ? "none" : Integer.toString(p.leader()))
          .append(", replicas ").append(p.replicas())
          .append(", in-sync ").append(p.isr())
          .append(", end offset ").append(p.endOffset() < 0 ? "unknown" : Long.toString(p.endOffset()))
          .append('\n');
    }
    String configs = SHOWN_CONFIGS.stream().filter(topic.configs()::containsKey)
        .map(name -> name + "=" + topic.configs().get(name)).collect(Collectors.joining(", "));
    text.append("  config: ").append(configs);
    return text.toString();
  }

  /** {@code ", retention 48 h"}, {@code ", retention unlimited"}, or nothing when the config is not known. */
  private static String retention(TopicDetails topic) {
    String ms = topic.configs().get("retention.ms");
    if (ms == null) {
      return "";
    }
    try {
      long millis = Long.parseLong(ms.strip());
      if (millis < 0) {
        return ", retention unlimited";
      }
      double hours = millis / 3_600_000.0;
      return ", retention " + (hours == Math.rint(hours) ? Long.toString((long) hours) : String.format(Locale.ROOT,
          "%.2f", hours)) + " h";
    } catch (NumberFormatException e) {
      return ", retention.ms " + ms;
    }
  }
}
