package org.fink.distribution.kafka;

import org.fink.distribution.KafkaProblem;
import org.fink.distribution.FinkException;

/** Kafka cannot be used as configured (unreachable, credentials refused, topic missing); the message says what to fix. */
public class KafkaSetupException extends FinkException {
  public KafkaSetupException(String message) {
    super(message);
  }

  public KafkaSetupException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Kafka's failure, as {@link KafkaErrors} explains it. */
  public KafkaSetupException(KafkaProblem problem, Throwable cause) {
    super(problem, cause);
  }
}
