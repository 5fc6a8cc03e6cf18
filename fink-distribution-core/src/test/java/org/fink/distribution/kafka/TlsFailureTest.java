package org.fink.distribution.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsFailure} and {@link UnansweredClientCheck} without a broker: certificate errors as the JDK words them, and
 * a plaintext port (a socket that reads and closes) told from a closed one. The real broker's cases are in
 * fink-kafka-admin's TlsErrorCasesTest.
 */
class TlsFailureTest {
  private static final String SERVERS = "127.0.0.1:9093";

  @Test
  void certificateErrorsOfTheJdkAreNamed() {
    assertTrue(TlsFailure.explain(handshake(new SSLHandshakeException(
        "PKIX path building failed: unable to find valid certification path to requested target")), SERVERS,
        "SASL_SSL").orElseThrow().contains("is not signed by the CA this client trusts"));
    SSLHandshakeException expired = new SSLHandshakeException("PKIX path validation failed: validity check failed");
    expired.initCause(new CertificateExpiredException("NotAfter: Fri Dec 04 18:22:19 UTC 2026"));
    assertTrue(TlsFailure.explain(handshake(expired), SERVERS, "SASL_SSL").orElseThrow().contains("has expired"));
    assertTrue(TlsFailure.explain(handshake(new SSLHandshakeException(
        "No subject alternative names matching IP address 127.0.0.1 found")), SERVERS, "SASL_SSL").orElseThrow()
        .contains("does not name the host connected to"));
  }

  @Test
  void otherErrorsAndUnknownProtocolsAreNotTls() {
    assertEquals(Optional.empty(), TlsFailure.explain(handshake(new SSLHandshakeException("x")), SERVERS, null));
    assertEquals(Optional.empty(), TlsFailure.certificateProblem(new IllegalStateException("validity check failed"),
        SERVERS));
  }

  @Test
  void aPlaintextPortIsToldFromAClosedOne() throws IOException {
    try (ServerSocket plaintext = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket client = plaintext.accept()) {
          client.getInputStream().read(new byte[4096]); // reads a "request" it cannot parse, then closes
        } catch (IOException e) {
          // the probe gave up
        }
      });
      server.start();
      String servers = "127.0.0.1:" + plaintext.getLocalPort();
      assertEquals(TlsFailure.Port.PLAINTEXT, TlsFailure.probe(servers));
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    assertEquals(TlsFailure.Port.NOT_LISTENING, TlsFailure.probe("127.0.0.1:" + closed));
    assertEquals(Optional.empty(), TlsFailure.explain(new TimeoutException("Timed out waiting for a node"),
        "127.0.0.1:" + closed, "SASL_SSL"), "an unreachable cluster is not a TLS mistake");
  }

  @Test
  void anUnansweredClientIsProbedOnceAfterTheBoundAndAnAnsweredOneNever() throws IOException {
    try (ServerSocket plaintext = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket client = plaintext.accept()) {
          client.getInputStream().read(new byte[4096]);
        } catch (IOException e) {
          // the probe gave up
        }
      });
      server.start();
      String servers = "127.0.0.1:" + plaintext.getLocalPort();
      UnansweredClientCheck answered = new UnansweredClientCheck(servers, "SASL_SSL", Duration.ZERO);
      assertEquals(Optional.empty(), answered.afterPoll(true));
      assertEquals(Optional.empty(), answered.afterPoll(false), "answered once: left alone");
      UnansweredClientCheck silent = new UnansweredClientCheck(servers, "SASL_SSL", Duration.ZERO);
      assertTrue(silent.afterPoll(false).orElseThrow().contains("does not speak TLS but this client does"));
      assertEquals(Optional.empty(), silent.afterPoll(false), "probed once");
      UnansweredClientCheck waiting = new UnansweredClientCheck(servers, "SASL_SSL", Duration.ofHours(1));
      assertEquals(Optional.empty(), waiting.afterPoll(false), "not before the bound");
    }
  }

  private static SslAuthenticationException handshake(SSLHandshakeException cause) {
    return new SslAuthenticationException("SSL handshake failed", cause);
  }
}
