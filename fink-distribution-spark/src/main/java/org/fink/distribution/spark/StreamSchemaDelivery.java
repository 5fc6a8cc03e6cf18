package org.fink.distribution.spark;

import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.kafka.FinkSchemaTopic;
import org.fink.distribution.kafka.SchemaDelivery;
import org.fink.distribution.kafka.SchemaTopic;
import org.fink.distribution.rules.DistributionStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the schema of every stream of a plan before its first message: to its {@code .avsc} file and to the
 * schema topic, after checking that consumers of the previous schema can read it ({@link SchemaDelivery}); in the Fink
 * framing also to the topic's {@code <topic>_schema} ({@link FinkSchemaTopic}), where fink-client looks for it (unless
 * no schema topic is configured: then neither).
 *
 * <pre>{@code
 * StreamSchemaDelivery.deliver(plan);
 * }</pre>
 */
final class StreamSchemaDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSchemaDelivery.class);

  private StreamSchemaDelivery() {}

  static void deliver(DistributionPlan plan) {
    DistributionOptions options = plan.options();
    String schemaTopic = options.schemaTopic();
    SchemaDelivery delivery = new SchemaDelivery(schemaTopic == null || schemaTopic.isBlank() ? null
        : new SchemaTopic(options.servers(), schemaTopic, options.clientProperties()), options.forceSchemaChange());
    // no schema topic configured: none of either kind (a producer without the right to create topics)
    FinkSchemaTopic finkSchemas = options.format() == MessageFormat.FINK && schemaTopic != null
        && !schemaTopic.isBlank() ? new FinkSchemaTopic(options.servers(), options.clientProperties()) : null;
    java.util.Set<String> published = new java.util.HashSet<>();
    for (Map.Entry<DistributionStream, Schema> entry : plan.schemas().entrySet()) {
      DistributionStream stream = entry.getKey();
      Schema schema = entry.getValue();
      String topic = plan.topicOf(stream);
      Path file = plan.schemaFile(topic).orElse(null);
      delivery.deliver(topic, schema, file);
      if (finkSchemas != null && published.add(topic + "\n" + SchemaFingerprint.of(schema))) {
        finkSchemas.publish(topic, schema);
      }
      LOG.info("stream {} -> topic {}: schema {}{}", stream.name(), topic,
          SchemaFingerprint.hex(SchemaFingerprint.of(schema)), file == null ? "" : " written to " + file);
    }
  }
}
