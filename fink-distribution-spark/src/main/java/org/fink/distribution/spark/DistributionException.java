package org.fink.distribution.spark;

import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.errors.ApiException;
import org.fink.distribution.FinkException;
import org.fink.distribution.kafka.KafkaErrors;
import org.fink.distribution.KafkaProblem;

/**
 * The distribution could not start or failed; the message says why.
 *
 * <pre>{@code
 * try {
 *   query.awaitTermination();
 * } catch (StreamingQueryException e) {
 *   throw DistributionException.failed(e);   // one paragraph: Kafka's refusal, a full disk, or Spark's first lines
 * }
 * }</pre>
 */
public class DistributionException extends FinkException {
  /** Where Spark's message of a failed query stops being about the failure (the query's plan follows). */
  private static final String SPARK_QUERY_DUMP = "=== Streaming Query ===";
  private static final int MAX_MESSAGE_CHARS = 2000;

  public DistributionException(String message) {
    super(message);
  }

  public DistributionException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure of Kafka, as {@link KafkaErrors} explains it. */
  public DistributionException(KafkaProblem problem, Throwable cause) {
    super(problem, cause);
  }

  /**
   * A failed distribution query, explained in one paragraph: when Kafka refused to publish (authorization,
   * authentication, or another refusal of the broker), its own message and what to do; when a disk is full, that;
   * else the first part of Spark's message, without its stack traces and the query's plan.
   */
  public static DistributionException failed(Throwable error) {
    for (Throwable cause : KafkaErrors.causes(error)) {
      if (cause instanceof KafkaUnansweredException unanswered) {
        return unanswered(unanswered.servers(), unanswered.since() + " UTC (" + Math.max(1,
            (System.currentTimeMillis() - unanswered.sinceEpochMillis()) / 1000) + " s)", unanswered.getMessage(),
            error);
      }
    }
    Optional<ApiException> kafka = KafkaErrors.brokerAnswer(error);
    if (kafka.isPresent() && kafka.get() instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
      return unanswered(null, null, timeout.getMessage(), error);
    }
    if (kafka.isPresent()) {
      KafkaProblem problem = KafkaErrors.publishRefused(kafka.get(), null, null);
      return new DistributionException(problem.withMessage("distribution failed: " + problem.message()), error);
    }
    for (Throwable cause : KafkaErrors.causes(error)) {
      if (cause instanceof IOException && cause.getMessage() != null
          && cause.getMessage().contains("No space left on device")) {
        return new DistributionException("distribution failed: no space left on device; free space on the disk"
            + " of the checkpoint folder (FINK_ALERT_CHECKPOINT_KAFKA) and the Spark local folders, then start"
            + " again: the checkpoint resumes where it stopped", error);
      }
    }
    return new DistributionException("distribution failed: " + sparkMessage(error), error);
  }

  /**
   * Kafka did not answer within the producer's timeouts: one paragraph with the servers, since when, Kafka's words,
   * and the fix (start the cluster or correct the address, then start again: the checkpoint resumes without loss).
   */
  private static DistributionException unanswered(String servers, String since, String kafkaMessage, Throwable error) {
    String where = servers == null ? "(DISTRIBUTION_SERVERS)" : "at " + servers + " (DISTRIBUTION_SERVERS)";
    String message = "distribution stopped: Kafka " + where + " did not answer"
        + (since == null ? "" : " since " + since) + ", longer than the producer waits (max.block.ms,"
        + " delivery.timeout.ms): " + kafkaMessage + ". Start the cluster or correct"
        + " DISTRIBUTION_SERVERS, then start the distribution again: it resumes from its checkpoint and loses no alert"
        + " (the interrupted batch is sent again)";
    return new DistributionException(new KafkaProblem(KafkaProblem.Kind.UNREACHABLE, message, servers, null, null),
        error);
  }

  /** Spark's message up to the query dump, without stack-trace lines, on a few lines at most. */
  static String sparkMessage(Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    int dump = message.indexOf(SPARK_QUERY_DUMP);
    if (dump >= 0) {
      message = message.substring(0, dump);
    }
    StringBuilder kept = new StringBuilder();
    for (String line : message.split("\n")) {
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("at ") || stripped.startsWith("...")
          || stripped.startsWith("Driver stacktrace")) {
        continue;
      }
      kept.append(kept.length() == 0 ? "" : "\n").append(stripped);
    }
    String text = kept.toString();
    return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + " [...]" : text;
  }
}
