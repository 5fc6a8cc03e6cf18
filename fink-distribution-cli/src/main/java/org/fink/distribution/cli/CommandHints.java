package org.fink.distribution.cli;

import org.fink.distribution.FinkException;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.kafka.KafkaErrors;
import org.fink.distribution.spark.IngestException;
import org.fink.distribution.spark.ScienceDbMissingException;

/**
 * The command-line fix added to a library error: the library names the problem and its fix in its own terms (grant
 * user U the producer ACL on topic T); this says which command or configuration key does it
 * ({@code bin/fink_kafka --authorization ...}, {@code DISTRIBUTION_SERVERS}), from the error's structured facts.
 *
 * <pre>{@code
 * err.println("fink: " + CommandErrors.message(error) + CommandHints.of("fink", error));
 * }</pre>
 */
final class CommandHints {
  private static final String FINK = "fink";

  private CommandHints() {}

  /** The hint to append to the error's message, starting with its separator; empty when there is none. */
  static String of(String program, Throwable error) {
    for (Throwable t : KafkaErrors.causes(error)) {
      if (t instanceof ScienceDbMissingException missing && FINK.equals(program)) {
        return " (bin/fink start ingest --alerts PATH, or set SCIENCE_DB_PATH)";
      }
      if (t instanceof IngestException ingest && !ingest.badFiles().isEmpty() && FINK.equals(program)) {
        return " (bin/fink start ingest ... --bad-files quarantine --quarantine DIR)";
      }
      if (t instanceof FinkException fink && fink.kafkaProblem().isPresent()) {
        return kafka(program, fink.kafkaProblem().get());
      }
    }
    return "";
  }

  /** The hint for a Kafka problem met by {@code program}. */
  static String kafka(String program, KafkaProblem problem) {
    if (problem.kind() == KafkaProblem.Kind.NO_AUTHORIZER) {
      return " (a local cluster has them in security mode, DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT)";
    }
    if (!FINK.equals(program)) {
      return ""; // fink_kafka's own requests: the library's message says it all
    }
    String topic = problem.topic() == null ? "TOPIC" : problem.topic();
    return switch (problem.kind()) {
      case UNREACHABLE -> "; check DISTRIBUTION_SERVERS and that the cluster is running (bin/fink_kafka status)";
      case AUTHENTICATION_FAILED -> "; check DISTRIBUTION_USERNAME and its password";
      case WRITE_NOT_AUTHORIZED -> "; as an admin: bin/fink_kafka --authorization -a -u "
          + (problem.user() == null ? "USER" : problem.user()) + " -H '*' -p -t " + topic;
      case CREATE_NOT_AUTHORIZED -> "; in security mode, create it as the super user: bin/fink_kafka --create-topic "
          + topic + " --partitions 1";
      case UNKNOWN_TOPIC -> " (bin/fink_kafka --create-topic " + topic + ")";
      default -> "";
    };
  }
}
