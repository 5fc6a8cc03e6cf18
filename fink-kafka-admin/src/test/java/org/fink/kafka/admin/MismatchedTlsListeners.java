package org.fink.kafka.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One real broker in TLS mode (SASL_SSL, SCRAM-SHA-512) with, beside its good client listener, a listener for each
 * way a TLS client can be wrong or meet a wrong broker: a certificate of another CA, an expired certificate, a
 * certificate for another host name, and a plaintext (SASL_PLAINTEXT) listener. Certificates are made by
 * {@link LocalCertificateAuthority} (BouncyCastle). The controller listener keeps the good certificate, so the broker
 * itself starts normally. For the tests of the error messages of every client (admin, producer check, consumer, CLI).
 *
 * <pre>{@code
 * try (MismatchedTlsListeners brokers = MismatchedTlsListeners.start()) {
 *   Properties tls = brokers.clientProperties(true);      // SASL_SSL trusting the good CA, host names checked
 *   String expired = brokers.servers(Listener.EXPIRED);   // 127.0.0.1:PORT whose certificate expired yesterday
 * }
 * }</pre>
 */
public final class MismatchedTlsListeners implements AutoCloseable {
  /** The listeners of the broker. */
  public enum Listener {
    /** SASL_SSL with a valid certificate of the trusted CA naming 127.0.0.1. */
    GOOD,
    /** SASL_SSL with a certificate signed by another CA. */
    WRONG_CA,
    /** SASL_SSL with a certificate of the trusted CA that expired yesterday. */
    EXPIRED,
    /** SASL_SSL with a certificate of the trusted CA naming only kafka.example.org. */
    WRONG_HOST,
    /** SASL_PLAINTEXT: no TLS. */
    PLAINTEXT;

    String listenerName() {
      return this == GOOD ? EmbeddedKafkaBroker.TLS_CLIENT_LISTENER : name().replace("_", "");
    }

    String protocol() {
      return this == PLAINTEXT ? SaslLogin.PROTOCOL : SaslLogin.TLS_PROTOCOL;
    }
  }

  /** The super user's name. */
  public static final String USER = "fink-admin";

  private final Path dataDir;
  private final LocalCertificateAuthority ca;
  private final String password;
  private final Map<Listener, Integer> ports;
  private final EmbeddedKafkaBroker broker;

  private MismatchedTlsListeners(Path dataDir, LocalCertificateAuthority ca, String password,
      Map<Listener, Integer> ports, EmbeddedKafkaBroker broker) {
    this.dataDir = dataDir;
    this.ca = ca;
    this.password = password;
    this.ports = ports;
    this.broker = broker;
  }

  /** Makes the certificates and starts the broker (a few seconds). */
  public static MismatchedTlsListeners start() {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("fink-tls-mismatch-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalCertificateAuthority ca = LocalCertificateAuthority.loadOrCreate(dataDir, 1, List.of());
    LocalCertificateAuthority otherCa = LocalCertificateAuthority.loadOrCreate(dataDir.resolve("other-ca"), 1,
        List.of());
    Instant now = Instant.now();
    Path expired = LocalCertificateAuthority.dir(dataDir).resolve("expired.p12");
    ca.issue("expired", LocalCertificateAuthority.brokerNames(List.of()), now.minus(Duration.ofDays(10)),
        now.minus(Duration.ofDays(1)), expired);
    Path wrongHost = LocalCertificateAuthority.dir(dataDir).resolve("wrong-host.p12");
    ca.issue("wrong-host", List.of("kafka.example.org"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(10)),
        wrongHost);

    Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
    for (Listener listener : Listener.values()) {
      int port = LoopbackPorts.pick();
      while (ports.containsValue(port)) {
        port = LoopbackPorts.pick();
      }
      ports.put(listener, port);
    }
    int controllerPort = LoopbackPorts.pick();
    while (ports.containsValue(controllerPort)) {
      controllerPort = LoopbackPorts.pick();
    }
    String password = "mismatch-" + Long.toHexString(System.nanoTime());
    EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().dataDir(dataDir.resolve("broker-1"))
        .port(ports.get(Listener.GOOD)).controllerPort(controllerPort).superUser(USER, password).tls(ca, 1);
    String client = Stream.of(Listener.values()).map(l -> l.listenerName() + "://127.0.0.1:" + ports.get(l))
        .collect(Collectors.joining(","));
    builder.property("listeners", client + "," + EmbeddedKafkaBroker.CONTROLLER_LISTENER + "://127.0.0.1:"
        + controllerPort);
    builder.property("advertised.listeners", client);
    builder.property("listener.security.protocol.map", Stream.of(Listener.values())
        .map(l -> l.listenerName() + ":" + l.protocol()).collect(Collectors.joining(",")) + ","
        + EmbeddedKafkaBroker.CONTROLLER_LISTENER + ":" + SaslLogin.TLS_PROTOCOL);
    for (Listener listener : Listener.values()) {
      if (listener != Listener.GOOD) {
        builder.property("listener.name." + listener.listenerName().toLowerCase(Locale.ROOT) + "."
            + SaslLogin.SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", SaslLogin.scram(USER,
            password));
      }
    }
    keystore(builder, Listener.WRONG_CA, otherCa.brokerKeystore(1), otherCa.keystorePassword());
    keystore(builder, Listener.EXPIRED, expired, ca.keystorePassword());
    keystore(builder, Listener.WRONG_HOST, wrongHost, ca.keystorePassword());
    EmbeddedKafkaBroker broker = builder.build();
    try {
      broker.start();
    } catch (RuntimeException e) {
      broker.close();
      delete(dataDir);
      throw e;
    }
    return new MismatchedTlsListeners(dataDir, ca, password, ports, broker);
  }

  private static void keystore(EmbeddedKafkaBroker.Builder builder, Listener listener, Path file, String password) {
    String prefix = "listener.name." + listener.listenerName().toLowerCase(Locale.ROOT) + ".";
    builder.property(prefix + "ssl.keystore.type", "PKCS12");
    builder.property(prefix + "ssl.keystore.location", file.toString());
    builder.property(prefix + "ssl.keystore.password", password);
    builder.property(prefix + "ssl.key.password", password);
  }

  /** {@code 127.0.0.1:PORT} of a listener. */
  public String servers(Listener listener) {
    return "127.0.0.1:" + ports.get(listener);
  }

  /** The port of a listener. */
  public int port(Listener listener) {
    return ports.get(listener);
  }

  /** The CA certificate (PEM) that signed the good, expired and wrong-host certificates. */
  public Path caPem() {
    return ca.caPemFile();
  }

  /** The super user's password: give it to a client only. */
  public String password() {
    return password;
  }

  /**
   * Client properties to log in as the super user: over SASL_SSL trusting {@link #caPem()} with host names checked,
   * or over SASL_PLAINTEXT.
   */
  public Properties clientProperties(boolean tls) {
    Properties props = SaslLogin.scramClientProperties(USER, password);
    if (tls) {
      props.put("security.protocol", SaslLogin.TLS_PROTOCOL);
      props.putAll(ca.clientTrustProperties());
      props.put("ssl.endpoint.identification.algorithm", "https");
    }
    return props;
  }

  /** A folder for the test's own files, deleted with the broker. */
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    broker.close();
    delete(dataDir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}
