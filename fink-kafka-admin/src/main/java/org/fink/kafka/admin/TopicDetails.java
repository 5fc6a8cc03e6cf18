package org.fink.kafka.admin;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link FinkKafkaAdmin#describeTopic(String)} tells about a topic: partitions and effective configuration.
 *
 * <pre>{@code
 * TopicDetails t = admin.describeTopic("fink_outstream");
 * t.partitions().size();         // 1
 * t.configs().get("retention.ms"); // "604800000"
 * t.messageCount();              // sum of end offsets (messages written, before retention)
 * }</pre>
 *
 * @param name topic name
 * @param partitions partitions, by partition number
 * @param configs effective topic configuration (name to value), sorted by name
 */
public record TopicDetails(String name, List<PartitionDetails> partitions, Map<String, String> configs) {
  public TopicDetails {
    partitions = List.copyOf(partitions);
    configs = Collections.unmodifiableMap(new TreeMap<>(configs));
  }

  /** Replication factor: the replica count of the first partition (0 for a topic without partitions). */
  public int replicationFactor() {
    return partitions.isEmpty() ? 0 : partitions.get(0).replicas().size();
  }

  /** Sum of the known end offsets: the number of messages ever written (retention may have removed some). */
  public long messageCount() {
    return partitions.stream().mapToLong(PartitionDetails::endOffset).filter(offset -> offset > 0).sum();
  }
}
