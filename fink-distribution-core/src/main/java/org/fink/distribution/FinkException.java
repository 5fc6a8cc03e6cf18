package org.fink.distribution;

import java.util.Optional;

/**
 * The root of every error this library throws (configuration, rules, schemas, codec, Kafka, distribution): catch it
 * to handle them all. The message names the culprit and the fix in the library's terms; a failure of Kafka also
 * carries its {@link KafkaProblem} (what kind, which address, topic and user), from which a front end (the command
 * line) can add its own hints.
 *
 * <pre>{@code
 * try {
 *   distribution.runOnce();
 * } catch (FinkException e) {
 *   System.err.println(e.getMessage());
 *   e.kafkaProblem().ifPresent(p -> System.err.println("Kafka: " + p.kind() + " on topic " + p.topic()));
 * }
 * }</pre>
 */
public class FinkException extends RuntimeException {
  private final KafkaProblem kafkaProblem;

  public FinkException(String message) {
    this(message, null, null);
  }

  public FinkException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** A failure of Kafka: the message is the problem's own. */
  public FinkException(KafkaProblem problem, Throwable cause) {
    this(problem.message(), problem, cause);
  }

  protected FinkException(String message, KafkaProblem kafkaProblem, Throwable cause) {
    super(message, cause);
    this.kafkaProblem = kafkaProblem;
  }

  /** What went wrong with Kafka, when Kafka is the culprit. */
  public Optional<KafkaProblem> kafkaProblem() {
    return Optional.ofNullable(kafkaProblem);
  }
}
