package org.fink.kafka.admin;

import java.util.List;

/**
 * The offsets a reset would give a consumer group on one topic, partition by partition; shown by a dry run, applied
 * by {@link FinkKafkaAdmin#applyOffsetReset}.
 *
 * <pre>{@code
 * OffsetResetPlan plan = admin.planOffsetReset("my-science", "fink_outstream", OffsetReset.toEarliest());
 * plan.moves().forEach(m -> System.out.println(m.partition() + ": " + m.from() + " -> " + m.to()));
 * admin.applyOffsetReset(plan);
 * }</pre>
 *
 * @param group consumer group
 * @param topic topic
 * @param moves per partition, in partition order
 */
public record OffsetResetPlan(String group, String topic, List<Move> moves) {
  public OffsetResetPlan {
    moves = List.copyOf(moves);
  }

  /**
   * One partition's move.
   *
   * @param partition partition number
   * @param from the committed offset, -1 when the group committed none
   * @param to the new offset
   */
  public record Move(int partition, long from, long to) {}
}
