package org.fink.distribution.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The Fink framing's partitions: Kafka's own choice for the object id as key, and spread evenly. */
class ObjectPartitionsTest {
  @Test
  void sameChoiceAsKafkaForTheObjectIdAsKey() {
    for (int i = 0; i < 1000; i++) {
      byte[] id = ("ZTF18a" + Integer.toString(i * 7919, 36)).getBytes(StandardCharsets.UTF_8);
      for (int partitions : new int[] {1, 3, 10}) {
        assertEquals(BuiltInPartitioner.partitionForKey(id, partitions), ObjectPartitions.of(id, partitions));
      }
    }
  }

  @Test
  void objectsAreSpreadOverEveryPartition() {
    int[] counts = new int[4];
    for (long id = 3_000_000_000_000L; id < 3_000_000_004_000L; id++) {
      counts[ObjectPartitions.of(Long.toString(id).getBytes(StandardCharsets.UTF_8), 4)]++;
    }
    for (int count : counts) {
      assertTrue(count > 800 && count < 1200, java.util.Arrays.toString(counts));
    }
    assertThrows(IllegalArgumentException.class, () -> ObjectPartitions.of(new byte[] {1}, 0));
  }
}
