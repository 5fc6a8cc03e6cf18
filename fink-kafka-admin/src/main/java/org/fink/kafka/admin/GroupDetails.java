package org.fink.kafka.admin;

import java.util.List;

/**
 * What {@link FinkKafkaAdmin#describeGroup(String)} tells about a consumer group: its state, members, and lag per
 * partition it committed offsets for or is assigned.
 *
 * <pre>{@code
 * GroupDetails g = admin.describeGroup("fink-test");
 * g.state();     // "STABLE", "EMPTY", ...
 * g.totalLag();  // sum of the known lags
 * }</pre>
 *
 * @param group group id
 * @param state group state as Kafka names it
 * @param members number of members
 * @param partitions per partition, sorted by topic and partition
 */
public record GroupDetails(String group, String state, int members, List<GroupPartitionLag> partitions) {
  public GroupDetails {
    partitions = List.copyOf(partitions);
  }

  /** Sum of the known lags. */
  public long totalLag() {
    return partitions.stream().mapToLong(GroupPartitionLag::lag).filter(lag -> lag > 0).sum();
  }
}
