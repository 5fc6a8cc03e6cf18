package org.fink.distribution.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.avro.Schema;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.schema.SchemaEvolution;
import org.fink.distribution.schema.SchemaFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a stream's schema before its first message: checks that consumers of the previous schema (its
 * {@code .avsc} file, else the latest on the schema topic) can read the new one, writes the file atomically, and
 * publishes it to the schema topic.
 *
 * <pre>{@code
 * new SchemaDelivery(schemaTopic, false).deliver("fink_outstream", schema, Path.of("schemas/distribution_schema.avsc"));
 * }</pre>
 */
public final class SchemaDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaDelivery.class);

  private final SchemaTopic schemaTopic;
  private final boolean force;

  /**
   * @param schemaTopic where to publish schemas, or null to write files only
   * @param force publish a schema that readers of the previous one cannot read
   */
  public SchemaDelivery(SchemaTopic schemaTopic, boolean force) {
    this.schemaTopic = schemaTopic;
    this.force = force;
  }

  /** Checks, writes and publishes the schema of {@code topic}. */
  public void deliver(String topic, Schema schema, Path file) {
    Optional<Schema> previous = previous(topic, file);
    if (previous.isPresent() && SchemaFingerprint.of(previous.get()) != SchemaFingerprint.of(schema)) {
      if (force) {
        LOG.warn("schema of topic {} changes from {} to {} (forced)", topic,
            SchemaFingerprint.hex(SchemaFingerprint.of(previous.get())), SchemaFingerprint.hex(SchemaFingerprint.of(schema)));
      } else {
        SchemaEvolution.requireReadableBy(previous.get(), schema, topic);
        LOG.info("schema of topic {} evolves from {} to {}; consumers of the previous one can read it", topic,
            SchemaFingerprint.hex(SchemaFingerprint.of(previous.get())), SchemaFingerprint.hex(SchemaFingerprint.of(schema)));
      }
    }
    if (file != null) {
      SchemaFiles.write(file, schema);
    }
    if (schemaTopic != null) {
      schemaTopic.publish(topic, schema);
    }
  }

  private Optional<Schema> previous(String topic, Path file) {
    if (file != null && Files.isRegularFile(file)) {
      return Optional.of(SchemaFiles.read(file));
    }
    return schemaTopic == null ? Optional.empty() : schemaTopic.latestFor(topic);
  }
}
