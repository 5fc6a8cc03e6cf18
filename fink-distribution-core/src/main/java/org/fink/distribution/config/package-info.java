/**
 * Configuration of a Fink distribution install: {@link org.fink.distribution.config.FinkConfig} reads the shell-style
 * {@code KEY=value} files of {@code conf/} ({@code source}, {@code ${VAR}} expansion), environment overrides and
 * command-line overrides, and checks every key ({@link org.fink.distribution.config.ConfigKey});
 * {@link org.fink.distribution.config.KafkaSecurity} turns the security keys into Kafka client properties, with the
 * password from the environment or a file ({@link org.fink.distribution.config.Secret}), never from a configuration
 * value.
 *
 * <pre>{@code
 * FinkConfig conf = FinkConfig.load(Path.of("conf/fink.conf.distribution"), Path.of("."), System.getenv(), Map.of());
 * String servers = conf.get(ConfigKey.DISTRIBUTION_SERVERS);
 * Map<String, String> kafka = KafkaSecurity.of(conf).clientProperties();   // SASL login when configured
 * }</pre>
 */
package org.fink.distribution.config;
