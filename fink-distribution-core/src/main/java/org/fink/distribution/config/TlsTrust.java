package org.fink.distribution.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a TLS client (SASL_SSL) trusts: a CA certificate file, PEM or PKCS12, or the JVM's trusted CAs; and whether it
 * checks that the broker's certificate names the host it connects to (on by default).
 *
 * <pre>{@code
 * TlsTrust trust = TlsTrust.of(config);   // DISTRIBUTION_SSL_CA_FILE, DISTRIBUTION_SSL_VERIFY_HOSTNAME, ...
 * trust.clientProperties();               // ssl.truststore.type=PEM, ssl.truststore.location=/.../ca.pem
 * }</pre>
 *
 * @param caFile CA certificate file; empty: the JVM's trusted CAs
 * @param caPassword password of a PKCS12 CA file, if it has one (not a secret: it guards public certificates)
 * @param verifyHostname whether the broker's certificate must name the host connected to
 */
public record TlsTrust(Optional<Path> caFile, Optional<String> caPassword, boolean verifyHostname) {
  /** Where a local cluster in TLS mode keeps its CA certificate for clients, under {@code KAFKA_LOCAL_DATA}. */
  public static final String LOCAL_CA_PEM = "tls/ca.pem";

  /**
   * The trust settings of a configuration: {@code DISTRIBUTION_SSL_CA_FILE} (empty: the local cluster's
   * {@code KAFKA_LOCAL_DATA/tls/ca.pem} when it exists, else the JVM's CAs), {@code DISTRIBUTION_SSL_CA_PASSWORD},
   * {@code DISTRIBUTION_SSL_VERIFY_HOSTNAME}.
   *
   * @throws ConfigException if the CA file given does not exist, or the host name setting is not true or false
   */
  public static TlsTrust of(FinkConfig config) {
    String file = config.get(ConfigKey.DISTRIBUTION_SSL_CA_FILE);
    Optional<Path> caFile;
    if (file == null || file.isBlank()) {
      Path local = config.path(ConfigKey.KAFKA_LOCAL_DATA).resolve(LOCAL_CA_PEM);
      caFile = Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    } else {
      Path path = config.path(ConfigKey.DISTRIBUTION_SSL_CA_FILE);
      if (!Files.isReadable(path)) {
        throw new ConfigException(ConfigKey.DISTRIBUTION_SSL_CA_FILE + "=" + path + ": no such readable file; give the"
            + " CA certificate of the cluster (PEM, or PKCS12 .p12; for a local cluster KAFKA_LOCAL_DATA/" + LOCAL_CA_PEM
            + ", whose path the local cluster prints when it starts)");
      }
      caFile = Optional.of(path);
    }
    String password = config.get(ConfigKey.DISTRIBUTION_SSL_CA_PASSWORD);
    String verify = config.get(ConfigKey.DISTRIBUTION_SSL_VERIFY_HOSTNAME);
    String flag = verify == null ? "true" : verify.strip().toLowerCase(Locale.ROOT);
    if (!flag.equals("true") && !flag.equals("false")) {
      throw new ConfigException(ConfigKey.DISTRIBUTION_SSL_VERIFY_HOSTNAME + "=" + verify + ": use true or false");
    }
    return new TlsTrust(caFile, Optional.ofNullable(password).filter(p -> !p.isBlank()), flag.equals("true"));
  }

  /** Whether the CA file is PKCS12 (by its extension {@code .p12} or {@code .pfx}), else PEM. */
  public boolean pkcs12() {
    return caFile.map(f -> f.getFileName().toString().toLowerCase(Locale.ROOT))
        .map(name -> name.endsWith(".p12") || name.endsWith(".pfx")).orElse(false);
  }

  /**
   * Kafka client properties: {@code security.protocol=SASL_SSL} is set by {@link KafkaSecurity}; here the trust store
   * ({@code ssl.truststore.type}, {@code ssl.truststore.location}, a PKCS12 password), TLS 1.3 and 1.2, and
   * {@code ssl.endpoint.identification.algorithm} (empty when host names are not checked).
   */
  public Map<String, String> clientProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    caFile.ifPresent(file -> {
      props.put("ssl.truststore.type", pkcs12() ? "PKCS12" : "PEM");
      props.put("ssl.truststore.location", file.toString());
    });
    if (pkcs12()) {
      caPassword.ifPresent(p -> props.put("ssl.truststore.password", p));
    }
    props.put("ssl.enabled.protocols", "TLSv1.3,TLSv1.2");
    props.put("ssl.endpoint.identification.algorithm", verifyHostname ? "https" : "");
    return props;
  }

  /** E.g. {@code CA /run/kafka/tls/ca.pem, host names checked}. */
  @Override
  public String toString() {
    return "CA " + caFile.map(Path::toString).orElse("of the JVM") + (verifyHostname ? ", host names checked"
        : ", host names NOT checked");
  }
}
