package org.fink.distribution.kafka;

import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateExpiredException;
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
 * configured CA vouches for, an expired certificate, a certificate for another host name, TLS spoken to a plaintext
 * port; and, for a client without TLS that timed out, whether the port speaks TLS (a plaintext client on a TLS port
 * gets no answer at all, only time-outs).
 *
 * <pre>{@code
 * try { ... } catch (RuntimeException e) {
 *   throw TlsFailure.explain(e, servers, "SASL_SSL").map(m -> new IllegalStateException(m, e)).orElse(e);
 * }
 * }</pre>
 */
public final class TlsFailure {
  private static final int PROBE_TIMEOUT_MS = 2_000;

  private TlsFailure() {
  }

  /**
   * The paragraph for a TLS failure in {@code error}'s cause chain; empty if it is none.
   *
   * @param servers the bootstrap servers the client used
   * @param protocol the client's {@code security.protocol}
   */
  public static Optional<String> explain(Throwable error, String servers, String protocol) {
    boolean clientTls = protocol != null && protocol.toUpperCase(Locale.ROOT).endsWith("SSL");
    String text = chainText(error);
    if (clientTls && (has(error, CertificateExpiredException.class) || text.contains("notafter")
        || text.contains("certificate expired") || text.contains("validity check failed"))) {
      return Optional.of("the TLS certificate of " + servers + " has expired (or is not valid yet): renew it on the"
          + " brokers (a local cluster makes its broker certificates again when it is stopped, then started),"
          + " and check this machine's clock");
    }
    if (clientTls && (text.contains("no subject alternative") || text.contains("no name matching")
        || text.contains("subject alternative names"))) {
      return Optional.of("the TLS certificate of " + servers + " does not name the host connected to: connect with a"
          + " name the certificate lists (for a local cluster: localhost, 127.0.0.1, this machine's name and"
          + " KAFKA_LOCAL_TLS_NAMES; add the name there and restart it), or, for a test only, set"
          + " DISTRIBUTION_SSL_VERIFY_HOSTNAME=false");
    }
    if (clientTls && (text.contains("pkix path") || text.contains("unable to find valid certification path")
        || text.contains("signature check failed") || text.contains("untrusted"))) {
      return Optional.of("the TLS certificate of " + servers + " is not signed by the CA this client trusts: set"
          + " DISTRIBUTION_SSL_CA_FILE to that cluster's CA certificate (PEM, or PKCS12 .p12; for a local cluster"
          + " KAFKA_LOCAL_DATA/tls/ca.pem, whose path the local cluster prints when it starts)");
    }
    if (clientTls && (has(error, SslAuthenticationException.class) || has(error, SSLHandshakeException.class))
        && (text.contains("remote host terminated") || text.contains("unrecognized ssl message")
        || has(error, EOFException.class) || text.contains("ssl handshake failed"))) {
      return Optional.of(servers + " did not answer the TLS handshake: it is probably a plaintext port (a cluster"
          + " with PLAINTEXT or SASL_PLAINTEXT): set DISTRIBUTION_SECURITY_PROTOCOL to what the cluster speaks, or"
          + " DISTRIBUTION_SERVERS to its TLS port");
    }
    if (!clientTls && (has(error, TimeoutException.class) || has(error,
        org.apache.kafka.common.errors.TimeoutException.class) || text.contains("did not answer"))
        && speaksTls(servers)) {
      return Optional.of(servers + " speaks TLS but this client talks plaintext (" + protocol + "), so it got no"
          + " answer: set DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL and DISTRIBUTION_SSL_CA_FILE to the cluster's CA"
          + " certificate");
    }
    return Optional.empty();
  }

  /**
   * Whether the first of {@code servers} ({@code host:port,...}) completes a TLS handshake (certificate not checked:
   * this only tells whether the port speaks TLS; nothing is sent after the handshake).
   */
  public static boolean speaksTls(String servers) {
    if (servers == null || servers.isBlank()) {
      return false;
    }
    String first = servers.split(",")[0].strip();
    int colon = first.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    try {
      String host = first.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(first.substring(colon + 1));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificate()}, null);
      try (Socket raw = new Socket()) {
        raw.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
        raw.setSoTimeout(PROBE_TIMEOUT_MS);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, false)) {
          tls.startHandshake();
          return true;
        }
      }
    } catch (java.io.IOException | RuntimeException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String chainText(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
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
