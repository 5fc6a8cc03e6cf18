package org.fink.distribution.kafka;

/** Kafka cannot be used as configured (unreachable, credentials refused, topic missing); the message says what to fix. */
public class KafkaSetupException extends RuntimeException {
  public KafkaSetupException(String message) {
    super(message);
  }

  public KafkaSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
