package org.fink.distribution.kafka;

import java.time.Duration;
import java.util.Optional;

/**
 * For a Kafka client that Kafka never answers (a consumer whose polls stay empty, never assigned a partition): once a
 * bound has passed, probes the first server once ({@link TlsFailure#mismatch}) to tell whether the client's security
 * protocol does not match the port, TLS to a plaintext port or plaintext to a TLS port, which Kafka's clients only
 * retry without end. A client answered once, or one whose protocol matches, is left alone.
 *
 * <pre>{@code
 * UnansweredClientCheck check = new UnansweredClientCheck(servers, "SASL_SSL", Duration.ofSeconds(10));
 * ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
 * check.afterPoll(!consumer.assignment().isEmpty()).ifPresent(message -> { throw new KafkaSetupException(message); });
 * }</pre>
 */
final class UnansweredClientCheck {
  private final String servers;
  private final String protocol;
  private final Duration bound;
  private long firstPollNanos;
  private boolean started;
  private boolean done;

  /**
   * @param servers the client's bootstrap servers
   * @param protocol its {@code security.protocol}
   * @param bound how long without an answer before the probe
   */
  UnansweredClientCheck(String servers, String protocol, Duration bound) {
    this.servers = servers;
    this.protocol = protocol;
    this.bound = bound;
  }

  /** After a poll: the paragraph saying the protocol does not match the port, once the bound has passed unanswered. */
  Optional<String> afterPoll(boolean answered) {
    if (done) {
      return Optional.empty();
    }
    if (answered) {
      done = true;
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (!started) {
      started = true;
      firstPollNanos = now;
    }
    if (now - firstPollNanos < bound.toNanos()) {
      return Optional.empty();
    }
    done = true;
    return TlsFailure.mismatch(servers, protocol);
  }
}
