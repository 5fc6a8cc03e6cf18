package org.fink.kafka.admin;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The TLS material of one broker in TLS mode: its PKCS12 key store and the CA certificate (PEM) it trusts for
 * connections to the other brokers and controllers. {@link #toString()} does not show the password.
 *
 * @param keystore PKCS12 key store with the broker's key and certificate chain
 * @param password password of the key store and of its key
 * @param caPem CA certificate in PEM
 */
record BrokerTls(Path keystore, String password, Path caPem) {
  /** Protocols offered on every TLS listener. */
  static final String PROTOCOLS = "TLSv1.3,TLSv1.2";

  /** The TLS material of broker {@code nodeId} of the authority in {@code tlsDir}. */
  static BrokerTls of(LocalCertificateAuthority ca, int nodeId) {
    return new BrokerTls(ca.brokerKeystore(nodeId), ca.keystorePassword(), ca.caPemFile());
  }

  /** Broker settings: key store, trust store, TLS 1.2 and 1.3, host names checked on broker-to-broker links. */
  void putBrokerProperties(Map<String, String> props) {
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.keystore.location", keystore.toString());
    props.put("ssl.keystore.password", password);
    props.put("ssl.key.password", password);
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", caPem.toString());
    props.put("ssl.enabled.protocols", PROTOCOLS);
    props.put("ssl.endpoint.identification.algorithm", "https");
    props.put("ssl.client.auth", "none");
  }

  /** Client settings that trust the CA (PEM) and check host names. */
  Properties clientTrust() {
    Properties props = new Properties();
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", caPem.toString());
    return props;
  }

  /** Paths only. */
  @Override
  public String toString() {
    return "BrokerTls[" + keystore + ", CA " + caPem + "]";
  }
}
