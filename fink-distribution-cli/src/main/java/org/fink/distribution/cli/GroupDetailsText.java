package org.fink.distribution.cli;

import org.fink.kafka.admin.GroupDetails;
import org.fink.kafka.admin.GroupPartitionLag;

/**
 * How {@code fink_kafka --describe-group} prints a consumer group: a summary line, then one line per partition.
 *
 * <pre>
 * consumer group spark-kafka-alerce: STABLE, 1 member, total lag 12
 *   fink_outstream-0: committed 30, end 42, lag 12
 *   fink_outstream-1: committed none, end 7, lag unknown
 * </pre>
 */
final class GroupDetailsText {
  private GroupDetailsText() {
  }

  static String format(GroupDetails group) {
    StringBuilder text = new StringBuilder();
    text.append("consumer group ").append(group.group()).append(": ").append(group.state()).append(", ")
        .append(group.members()).append(group.members() == 1 ? " member" : " members")
        .append(", total lag ").append(group.totalLag());
    if (group.partitions().isEmpty()) {
      text.append("\n  (no committed offsets, no assigned partitions)");
    }
    for (GroupPartitionLag p : group.partitions()) {
      text.append("\n  ").append(p.topic()).append('-').append(p.partition())
          .append(": committed ").append(p.committedOffset() < 0 ? "none" : Long.toString(p.committedOffset()))
          .append(", end ").append(p.endOffset() < 0 ? "unknown" : Long.toString(p.endOffset()))
          .append(", lag ").append(p.lag() < 0 ? "unknown" : Long.toString(p.lag()));
    }
    return text.toString();
  }
}
