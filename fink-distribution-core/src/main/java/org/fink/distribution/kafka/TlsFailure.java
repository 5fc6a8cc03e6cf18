package org.fink.distribution.kafka;

import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Turns a Kafka client's TLS failure into one paragraph that says which it is and how to fix it: a certificate no
 * configured CA vouches for, an expired certificate, a certificate for another host name; and, for a client that got
 * no answer in time, whether its security protocol does not match the port: TLS spoken to a plaintext port, or
 * plaintext to a TLS port (neither gets an error from Kafka, only time-outs: the port is probed once to tell).
 *
 * <pre>{@code
 * try { ... } catch (RuntimeException e) {
 *   throw TlsFailure.explain(e, servers, "SASL_SSL").map(m -> new IllegalStateException(m, e)).orElse(e);
 * }
 * }</pre>
 */
public final class TlsFailure {
  private static final int PROBE_TIMEOUT_MS = 2_000;

  /** What a port answers to a TLS handshake. */
  public enum Port {
    /** Nothing accepts connections there (or it could not be reached). */
    NOT_LISTENING,
    /** It completes a TLS handshake. */
    TLS,
    /** It accepts connections but does not complete a TLS handshake: a plaintext port. */
    PLAINTEXT
  }

  private TlsFailure() {
  }

  /**
   * The paragraph for a TLS failure in {@code error}'s cause chain, or for a time-out of a client whose protocol does
   * not match the port (the first server is then probed, within 2 s); empty if it is none of these.
   *
   * @param servers the bootstrap servers the client used
   * @param protocol the client's {@code security.protocol} (null: no diagnosis)
   */
  public static Optional<String> explain(Throwable error, String servers, String protocol) {
    if (protocol == null) {
      return Optional.empty();
    }
    boolean clientTls = isTls(protocol);
    if (clientTls) {
      Optional<String> certificate = certificateProblem(error, servers);
      if (certificate.isPresent()) {
        return certificate;
      }
    }
    String text = chainText(error);
    boolean handshakeCut = clientTls && (has(error, SslAuthenticationException.class)
        || has(error, SSLHandshakeException.class)) && (text.contains("remote host terminated")
        || text.contains("unrecognized ssl message") || has(error, EOFException.class));
    boolean timedOut = has(error, TimeoutException.class)
        || has(error, org.apache.kafka.common.errors.TimeoutException.class) || text.contains("did not answer");
    return handshakeCut || timedOut ? mismatch(servers, protocol) : Optional.empty();
  }

  /**
   * The paragraph for a certificate refused by a TLS client in {@code error}'s cause chain (another CA, expired, another
   * host name), without probing anything; empty if there is none.
   *
   * @param servers the servers connected to, for the message ("the Kafka brokers" when unknown)
   */
  public static Optional<String> certificateProblem(Throwable error, String servers) {
    if (!has(error, SslAuthenticationException.class) && !has(error, javax.net.ssl.SSLException.class)
        && !has(error, java.security.cert.CertificateException.class)
        && !has(error, java.security.cert.CertPathValidatorException.class)) {
      return Optional.empty();
    }
    String text = chainText(error);
    if (has(error, CertificateExpiredException.class) || has(error, CertificateNotYetValidException.class)
        || text.contains("notafter") || text.contains("certificate expired") || text.contains("validity check failed")) {
      return Optional.of("the TLS certificate of " + servers + " has expired (or is not valid yet): renew it on the"
          + " brokers (a local cluster makes its broker certificates again when it is stopped, then started),"
          + " and check this machine's clock");
    }
    if (text.contains("no subject alternative") || text.contains("no name matching")
        || text.contains("subject alternative names")) {
      return Optional.of("the TLS certificate of " + servers + " does not name the host connected to: connect with a"
          + " name the certificate lists (for a local cluster: localhost, 127.0.0.1, this machine's name and"
          + " KAFKA_LOCAL_TLS_NAMES; add the name there and restart it), or, for a test only, set"
          + " DISTRIBUTION_SSL_VERIFY_HOSTNAME=false");
    }
    if (text.contains("pkix path") || text.contains("unable to find valid certification path")
        || text.contains("signature check failed") || text.contains("untrusted")) {
      return Optional.of("the TLS certificate of " + servers + " is not signed by the CA this client trusts: set"
          + " DISTRIBUTION_SSL_CA_FILE to that cluster's CA certificate (PEM, or PKCS12 .p12; for a local cluster"
          + " KAFKA_LOCAL_DATA/tls/ca.pem, whose path the local cluster prints when it starts)");
    }
    return Optional.empty();
  }

  /**
   * The paragraph for a client whose security protocol does not match what the first of {@code servers} speaks
   * (probed within 2 s): TLS to a plaintext port, or plaintext to a TLS port; empty when they match or nothing
   * listens there.
   */
  public static Optional<String> mismatch(String servers, String protocol) {
    boolean clientTls = isTls(protocol);
    Port port = probe(servers);
    if (clientTls && port == Port.PLAINTEXT) {
      return Optional.of(servers + " does not speak TLS but this client does (" + protocol + "), so the TLS handshake"
          + " got no answer: it is a plaintext port (a cluster with PLAINTEXT or SASL_PLAINTEXT listeners): set"
          + " DISTRIBUTION_SECURITY_PROTOCOL to what the cluster speaks (SASL_PLAINTEXT), or DISTRIBUTION_SERVERS to"
          + " its TLS port");
    }
    if (!clientTls && port == Port.TLS) {
      return Optional.of(servers + " speaks TLS but this client talks plaintext (" + protocol + "), so it got no"
          + " answer: set DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL and DISTRIBUTION_SSL_CA_FILE to the cluster's CA"
          + " certificate");
    }
    return Optional.empty();
  }

  /** Whether a {@code security.protocol} is TLS ({@code SSL}, {@code SASL_SSL}). */
  public static boolean isTls(String protocol) {
    return protocol != null && protocol.strip().toUpperCase(Locale.ROOT).endsWith("SSL");
  }

  /** Whether the first of {@code servers} ({@code host:port,...}) completes a TLS handshake. */
  public static boolean speaksTls(String servers) {
    return probe(servers) == Port.TLS;
  }

  /**
   * What the first of {@code servers} ({@code host:port,...}) answers to a TLS handshake, within 2 s (certificate not
   * checked: this only tells whether the port speaks TLS; nothing is sent after the handshake).
   */
  public static Port probe(String servers) {
    if (servers == null || servers.isBlank()) {
      return Port.NOT_LISTENING;
    }
    String first = servers.split(",")[0].strip();
    int colon = first.lastIndexOf(':');
    if (colon < 0) {
      return Port.NOT_LISTENING;
    }
    String host = first.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(first.substring(colon + 1));
    } catch (NumberFormatException e) {
      return Port.NOT_LISTENING;
    }
    try (Socket raw = new Socket()) {
      try {
        raw.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
      } catch (java.io.IOException | IllegalArgumentException e) {
        return Port.NOT_LISTENING;
      }
      raw.setSoTimeout(PROBE_TIMEOUT_MS);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificate()}, null);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
        tls.startHandshake();
        return Port.TLS;
      } catch (java.io.IOException | RuntimeException e) {
        return Port.PLAINTEXT;
      }
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      return Port.NOT_LISTENING;
    }
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    return KafkaErrors.causes(error).stream().anyMatch(type::isInstance);
  }

  private static String chainText(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t : KafkaErrors.causes(error)) {
      text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }

  /** Accepts any certificate: used only to learn whether a port speaks TLS. */
  private static final class AnyCertificate implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
