package org.fink.kafka.admin;

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
public class KafkaAdminException extends RuntimeException {
  public KafkaAdminException(String message) {
    super(message);
  }

  public KafkaAdminException(String message, Throwable cause) {
    super(message, cause);
  }
}
