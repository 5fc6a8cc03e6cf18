package org.fink.distribution.kafka;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition of an alert chosen from its object id, for framings whose message key is not the object id (the Fink
 * framing's key is the schema, the same in every message): Kafka's own choice for a message keyed by the object id
 * (murmur2 hash modulo the partitions), so one object's alerts stay in one partition, in order, and the partitions
 * share the objects evenly, exactly as with the framings keyed by object id.
 *
 * <pre>{@code
 * int partition = ObjectPartitions.of("ZTF18abcdefg".getBytes(UTF_8), 10);
 * }</pre>
 */
public final class ObjectPartitions {
  private ObjectPartitions() {}

  /** The partition, among {@code partitions}, of the alerts of the object whose id (UTF-8) is {@code objectId}. */
  public static int of(byte[] objectId, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(objectId)) % partitions;
  }
}
