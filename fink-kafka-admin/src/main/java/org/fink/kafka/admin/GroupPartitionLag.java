package org.fink.kafka.admin;

/**
 * How far a consumer group is behind on one partition.
 *
 * <pre>{@code
 * for (GroupPartitionLag p : admin.describeGroup("spark-kafka-fink").partitions()) {
 *   System.out.println(p.topic() + "-" + p.partition() + ": lag " + p.lag());
 * }
 * }</pre>
 *
 * @param topic topic name
 * @param partition partition number
 * @param committedOffset the group's committed offset, -1 when it committed none
 * @param endOffset the partition's end offset, -1 when unknown (no leader)
 */
public record GroupPartitionLag(String topic, int partition, long committedOffset, long endOffset) {
  /** Messages not yet consumed: end offset minus committed offset; -1 when either is unknown. */
  public long lag() {
    return committedOffset < 0 || endOffset < 0 ? -1 : Math.max(0, endOffset - committedOffset);
  }
}
