package org.fink.distribution.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the Fink clients (distribution job, {@code distribution_test}, {@code fink_kafka}) authenticate to Kafka, from
 * the security keys of the configuration, turned into Kafka client properties.
 *
 * <p>{@code DISTRIBUTION_SECURITY_PROTOCOL=PLAINTEXT} (the default): no authentication, no properties.
 * {@code SASL_PLAINTEXT}: SASL with {@code DISTRIBUTION_SASL_MECHANISM} (SCRAM-SHA-512 by default) as
 * {@code DISTRIBUTION_USERNAME}; the password comes from the environment variable {@code DISTRIBUTION_PASSWORD}, else
 * from the first line of {@code DISTRIBUTION_PASSWORD_FILE}. It is never a configuration value, never on a command
 * line, and {@link #toString()} does not show it. {@code SASL_SSL}: the same over TLS (1.2 or 1.3), trusting the CA
 * certificate of {@code DISTRIBUTION_SSL_CA_FILE} (PEM, or PKCS12 by its extension {@code .p12}/{@code .pfx}; empty:
 * the local cluster's {@code KAFKA_LOCAL_DATA/tls/ca.pem} when it exists, else the JVM's trusted CAs), with host
 * names checked unless {@code DISTRIBUTION_SSL_VERIFY_HOSTNAME=false}.
 *
 * <pre>{@code
 * KafkaSecurity security = KafkaSecurity.of(config);
 * Properties props = new Properties();
 * props.putAll(security.clientProperties());  // security.protocol, sasl.mechanism, sasl.jaas.config
 * // Spark's Kafka source and sink take the same keys prefixed with "kafka."
 * }</pre>
 */
public final class KafkaSecurity {
  /** Environment variable holding the password of {@code DISTRIBUTION_USERNAME}. */
  public static final String PASSWORD_VARIABLE = "DISTRIBUTION_PASSWORD";
  /** JAAS login module of the SCRAM mechanisms. */
  public static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
  /** SASL mechanisms the clients support. */
  public static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256");

  /** {@code DISTRIBUTION_SECURITY_PROTOCOL}: how clients talk to the brokers. */
  public enum Protocol {
    /** No authentication, no encryption. */
    PLAINTEXT,
    /** SASL (SCRAM) authentication, no encryption. */
    SASL_PLAINTEXT,
    /** SASL (SCRAM) authentication over TLS. */
    SASL_SSL;

    /** The protocol of that name (case does not matter), or an error naming the key. */
    public static Protocol parse(String text) {
      String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
      for (Protocol protocol : values()) {
        if (protocol.name().equals(name)) {
          return protocol;
        }
      }
      throw new ConfigException(ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL + "=" + text
          + " is not supported; use PLAINTEXT, SASL_PLAINTEXT or SASL_SSL");
    }
  }

  private final Protocol protocol;
  private final String mechanism;
  private final String username;
  private final Secret password;
  private final TlsTrust tls;

  private KafkaSecurity(Protocol protocol, String mechanism, String username, Secret password, TlsTrust tls) {
    this.protocol = protocol;
    this.mechanism = mechanism;
    this.username = username;
    this.password = password;
    this.tls = tls;
  }

  /** No authentication. */
  public static KafkaSecurity plaintext() {
    return new KafkaSecurity(Protocol.PLAINTEXT, null, null, null, null);
  }

  /** SASL_PLAINTEXT with a SCRAM mechanism ({@code SCRAM-SHA-512} or {@code SCRAM-SHA-256}). */
  public static KafkaSecurity scram(String mechanism, String username, Secret password) {
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("a SASL user name must not be empty");
    }
    if (password == null) {
      throw new IllegalArgumentException("user " + username + " needs a password");
    }
    return new KafkaSecurity(Protocol.SASL_PLAINTEXT, parseMechanism(mechanism), username, password, null);
  }

  /** SASL_SSL: a SCRAM mechanism over TLS, trusting {@code tls}. */
  public static KafkaSecurity scramOverTls(String mechanism, String username, Secret password, TlsTrust tls) {
    KafkaSecurity sasl = scram(mechanism, username, password);
    if (tls == null) {
      throw new IllegalArgumentException("SASL_SSL needs TLS trust settings");
    }
    return new KafkaSecurity(Protocol.SASL_SSL, sasl.mechanism, username, password, tls);
  }

  /**
   * The security settings of a configuration.
   *
   * @throws ConfigException when SASL is asked without a user, or without a password in the environment variable
   *     {@code DISTRIBUTION_PASSWORD} or a readable {@code DISTRIBUTION_PASSWORD_FILE}
   */
  public static KafkaSecurity of(FinkConfig config) {
    Protocol protocol = Protocol.parse(config.get(ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL));
    if (protocol == Protocol.PLAINTEXT) {
      return plaintext();
    }
    String user = config.get(ConfigKey.DISTRIBUTION_USERNAME);
    if (user == null || user.isBlank()) {
      throw new ConfigException(ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL + "=" + protocol + " needs "
          + ConfigKey.DISTRIBUTION_USERNAME + ": set it in the configuration file or the environment");
    }
    Optional<Secret> fromEnvironment = config.distributionPassword();
    String file = config.get(ConfigKey.DISTRIBUTION_PASSWORD_FILE);
    Secret password;
    if (fromEnvironment.isPresent()) {
      password = fromEnvironment.get();
    } else if (file != null && !file.isBlank()) {
      password = Secret.readFile(config.path(ConfigKey.DISTRIBUTION_PASSWORD_FILE),
          ConfigKey.DISTRIBUTION_PASSWORD_FILE.name());
    } else {
      throw new ConfigException("no password for " + ConfigKey.DISTRIBUTION_USERNAME + "=" + user + ": set "
          + ConfigKey.DISTRIBUTION_PASSWORD_FILE + " to a file holding it (chmod 600), or the environment variable "
          + PASSWORD_VARIABLE);
    }
    String mechanism = config.get(ConfigKey.DISTRIBUTION_SASL_MECHANISM);
    return protocol == Protocol.SASL_SSL
        ? scramOverTls(mechanism, user.strip(), password, TlsTrust.of(config))
        : scram(mechanism, user.strip(), password);
  }

  /** The SASL mechanism of that name (case does not matter), or an error naming the key. */
  public static String parseMechanism(String text) {
    String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    if (!MECHANISMS.contains(name)) {
      throw new ConfigException(ConfigKey.DISTRIBUTION_SASL_MECHANISM + "=" + text + " is not supported; use "
          + String.join(" or ", MECHANISMS));
    }
    return name;
  }

  public Protocol protocol() {
    return protocol;
  }

  /** Whether clients authenticate (SASL). */
  public boolean isSasl() {
    return protocol != Protocol.PLAINTEXT;
  }

  /** Whether clients talk TLS (SASL_SSL). */
  public boolean isTls() {
    return tls != null;
  }

  /** The TLS trust settings; empty unless SASL_SSL. */
  public Optional<TlsTrust> tls() {
    return Optional.ofNullable(tls);
  }

  /** The SASL mechanism; empty for PLAINTEXT. */
  public Optional<String> mechanism() {
    return Optional.ofNullable(mechanism);
  }

  /** The SASL user; empty for PLAINTEXT. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * Kafka client properties: empty for PLAINTEXT; {@code security.protocol}, {@code sasl.mechanism} and
   * {@code sasl.jaas.config} (which holds the password: hand it to the client only) for SASL; and for SASL_SSL the
   * trust store ({@link TlsTrust#clientProperties()}).
   */
  public Map<String, String> clientProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    if (isSasl()) {
      props.put("security.protocol", protocol.name());
      props.put("sasl.mechanism", mechanism);
      props.put("sasl.jaas.config", jaasConfig(SCRAM_LOGIN_MODULE, username, password));
    }
    if (tls != null) {
      props.putAll(tls.clientProperties());
    }
    return props;
  }

  /**
   * A JAAS configuration line for a login module with a user name and password, quoted and escaped as Kafka's JAAS
   * parser reads them.
   */
  static String jaasConfig(String loginModule, String username, Secret password) {
    return loginModule + " required username=\"" + escape(username) + "\" password=\"" + escape(password.reveal())
        + "\";";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** E.g. {@code SASL_PLAINTEXT, SCRAM-SHA-512 as alice}; never the password. */
  @Override
  public String toString() {
    return isSasl() ? protocol + ", " + mechanism + " as " + username + (tls == null ? "" : ", " + tls)
        : protocol.name();
  }
}
