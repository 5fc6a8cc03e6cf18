package org.fink.kafka.admin;

import java.util.Properties;

/**
 * JAAS configuration lines of the SASL logins a local cluster uses, quoted and escaped as Kafka's JAAS parser reads
 * them: SCRAM for clients and between brokers, PLAIN on the controller listener (SCRAM credentials live in the
 * metadata log, which controllers cannot read before they have formed a quorum).
 *
 * <pre>{@code
 * Properties client = SaslLogin.scramClientProperties("fink-admin", password);
 * // security.protocol=SASL_PLAINTEXT, sasl.mechanism=SCRAM-SHA-512, sasl.jaas.config=...ScramLoginModule required ...
 * }</pre>
 */
final class SaslLogin {
  static final String PROTOCOL = "SASL_PLAINTEXT";
  static final String TLS_PROTOCOL = "SASL_SSL";
  static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
  static final String CONTROLLER_MECHANISM = "PLAIN";
  private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
  private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

  private SaslLogin() {
  }

  /** {@code ScramLoginModule required username="..." password="...";}. */
  static String scram(String user, String password) {
    return SCRAM_MODULE + " required username=" + quote(user) + " password=" + quote(password) + ";";
  }

  /**
   * The PLAIN login of the controller listener: the node logs in as {@code user} and accepts only that user (both
   * sides of a controller connection are nodes of the cluster).
   */
  static String plainController(String user, String password) {
    return PLAIN_MODULE + " required username=" + quote(user) + " password=" + quote(password) + " user_" + user
        + "=" + quote(password) + ";";
  }

  /** Client properties to log in with SCRAM-SHA-512 over SASL_PLAINTEXT. */
  static Properties scramClientProperties(String user, String password) {
    Properties props = new Properties();
    props.put("security.protocol", PROTOCOL);
    props.put("sasl.mechanism", SCRAM_MECHANISM);
    props.put("sasl.jaas.config", scram(user, password));
    return props;
  }

  /** Client properties to log in with SCRAM-SHA-512 over SASL_SSL, trusting the CA of {@code tls}. */
  static Properties scramClientProperties(String user, String password, BrokerTls tls) {
    Properties props = scramClientProperties(user, password);
    if (tls != null) {
      props.put("security.protocol", TLS_PROTOCOL);
      props.putAll(tls.clientTrust());
    }
    return props;
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
