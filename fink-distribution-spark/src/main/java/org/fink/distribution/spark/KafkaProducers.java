package org.fink.distribution.spark;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka producers of an executor JVM, one per distinct settings, shared by its tasks as Spark's own Kafka sink
 * does. A transactional producer ({@code transactional.id} set) is initialized once, which fences any previous
 * producer of the same id; there is one per task partition, so only as many as the JVM has cores are kept between
 * tasks (each keeps its buffers, up to {@code buffer.memory}): a batch of many partitions would otherwise fill the
 * heap with idle producers.
 */
final class KafkaProducers {
  private static final Map<Map<String, Object>, KafkaProducer<byte[], byte[]>> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.values().forEach(KafkaProducer::close)));
  }

  private KafkaProducers() {}

  static KafkaProducer<byte[], byte[]> get(Map<String, Object> settings) {
    return OPEN.computeIfAbsent(settings, s -> {
      Properties props = new Properties();
      props.putAll(s);
      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
      if (s.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
        producer.initTransactions();
      }
      return producer;
    });
  }

  /** A task is done with its transactional producer: it is kept for the next task of its partition, or closed. */
  static void release(Map<String, Object> settings) {
    long transactional = OPEN.keySet().stream().filter(s -> s.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG))
        .count();
    if (transactional > Runtime.getRuntime().availableProcessors()) {
      discard(settings);
    }
  }

  /** Closes and forgets the producer of these settings (after a fatal error: fenced, out of sequence...). */
  static void discard(Map<String, Object> settings) {
    KafkaProducer<byte[], byte[]> producer = OPEN.remove(settings);
    if (producer != null) {
      producer.close(Duration.ZERO);
    }
  }
}
