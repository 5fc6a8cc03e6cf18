package org.fink.distribution.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.StartPosition;

/**
 * An {@link AlertConsumer} set up from the configuration, as the commands that read the community topics
 * ({@code fink consume}, {@code fink view}) share it: the distribution's servers and SASL/TLS settings, its schema
 * topic and schema folder (to decode every framing), offsets committed by the command only.
 *
 * <pre>
 * AlertConsumer.Builder builder = ConfiguredConsumer.builder(config, List.of("fink_outstream"),
 *     StartPosition.beginning());
 * </pre>
 */
final class ConfiguredConsumer {
  private ConfiguredConsumer() {}

  static AlertConsumer.Builder builder(FinkConfig config, List<String> topics, StartPosition start) {
    AlertConsumer.Builder builder = AlertConsumer.builder().servers(config.get(ConfigKey.DISTRIBUTION_SERVERS))
        .topics(topics.toArray(String[]::new)).security(KafkaSecurity.of(config)).startAt(start)
        .clientProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    String schemaTopic = config.get(ConfigKey.DISTRIBUTION_SCHEMA_TOPIC);
    builder.schemaTopic(schemaTopic == null || schemaTopic.isBlank() ? null : schemaTopic);
    Path schemas = config.path(ConfigKey.DISTRIBUTION_SCHEMA).getParent();
    if (schemas != null && Files.isDirectory(schemas)) {
      builder.schemaFolder(schemas);
    }
    return builder;
  }
}
