package org.fink.distribution.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * The writer schemas published on the {@link SchemaTopic}, by fingerprint, as Avro's decoders look them up. An
 * unknown fingerprint makes it read the topic again, at most once per {@code retry} for the same fingerprint (a
 * schema is published before the first message that uses it, but a corrupt fingerprint must not cost a read of the
 * topic per message). Thread-safe.
 *
 * <pre>{@code
 * SchemaStore writers = new SchemaTopicStore(new SchemaTopic(servers, "fink_schemas", props), Duration.ofSeconds(10));
 * Schema writer = writers.findByFingerprint(fingerprint);   // null when the topic does not hold it
 * }</pre>
 */
public final class SchemaTopicStore implements SchemaStore {
  private final SchemaTopic topic;
  private final long retryNanos;
  private final Map<Long, Schema> known = new ConcurrentHashMap<>();
  private final Map<Long, Long> unknownAskedAt = new HashMap<>();

  public SchemaTopicStore(SchemaTopic topic, Duration retry) {
    this.topic = topic;
    this.retryNanos = retry.toNanos();
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    Schema schema = known.get(fingerprint);
    if (schema != null) {
      return schema;
    }
    synchronized (unknownAskedAt) {
      Long askedAt = unknownAskedAt.get(fingerprint);
      if (askedAt == null || System.nanoTime() - askedAt > retryNanos) {
        unknownAskedAt.put(fingerprint, System.nanoTime());
        known.putAll(topic.read().byFingerprint());
      }
    }
    return known.get(fingerprint);
  }

  @Override
  public String toString() {
    return "schema topic " + topic.name();
  }
}
