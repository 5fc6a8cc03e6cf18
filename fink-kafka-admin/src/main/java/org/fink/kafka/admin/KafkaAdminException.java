package org.fink.kafka.admin;

import org.fink.distribution.FinkException;
import org.fink.distribution.KafkaProblem;

/**
 * A Kafka administration request that failed, with a message a user can act on (which topic, which address, what to
 * do).
 *
 * <pre>{@code
 * try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect("127.0.0.1:9092")) {
 *   admin.deleteTopic("missing");
 * } catch (KafkaAdminException e) {
 *   System.err.println(e.getMessage()); // topic missing does not exist on 127.0.0.1:9092
 * }
 * }</pre>
 */
public class KafkaAdminException extends FinkException {
  public KafkaAdminException(String message) {
    super(message);
  }

  public KafkaAdminException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Kafka's failure, as {@link org.fink.distribution.kafka.KafkaErrors} explains it. */
  public KafkaAdminException(KafkaProblem problem, Throwable cause) {
    super(problem, cause);
  }
}
