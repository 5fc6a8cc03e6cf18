package org.fink.kafka.admin;

import java.util.List;

/**
 * One partition of a topic as the cluster sees it.
 *
 * <pre>{@code
 * PartitionDetails p = admin.describeTopic("fink_outstream").partitions().get(0);
 * p.leader();    // 1 (node id), or -1 when the partition has no leader
 * p.endOffset(); // offset the next message will get
 * }</pre>
 *
 * @param partition partition number
 * @param leader node id of the leader, -1 when none
 * @param replicas node ids holding a replica
 * @param isr node ids of the in-sync replicas
 * @param endOffset offset of the next message written, -1 when unknown (no leader)
 */
public record PartitionDetails(int partition, int leader, List<Integer> replicas, List<Integer> isr, long endOffset) {
  public PartitionDetails {
    replicas = List.copyOf(replicas);
    isr = List.copyOf(isr);
  }
}
