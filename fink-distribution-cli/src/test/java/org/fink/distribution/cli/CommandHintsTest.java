package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fink.distribution.KafkaProblem;
import org.fink.distribution.KafkaProblem.Kind;
import org.fink.distribution.kafka.KafkaSetupException;
import org.fink.distribution.spark.DistributionException;
import org.fink.distribution.spark.ScienceDbMissingException;
import org.junit.jupiter.api.Test;

/** The command hints the launchers add to the library's errors, from their structured facts. */
class CommandHintsTest {
  private static KafkaSetupException kafka(Kind kind, String topic, String user) {
    return new KafkaSetupException(new KafkaProblem(kind, "m", "127.0.0.1:9092", topic, user), null);
  }

  @Test
  void finkNamesTheFinkKafkaCommandThatFixesAKafkaProblem() {
    assertEquals("; as an admin: bin/fink_kafka --authorization -a -u reader -H '*' -p -t fink_outstream",
        CommandHints.of("fink", kafka(Kind.WRITE_NOT_AUTHORIZED, "fink_outstream", "reader")));
    assertEquals("; as an admin: bin/fink_kafka --authorization -a -u USER -H '*' -p -t TOPIC",
        CommandHints.of("fink", new DistributionException("failed", kafka(Kind.WRITE_NOT_AUTHORIZED, null, null))));
    assertEquals(" (bin/fink_kafka --create-topic t)", CommandHints.of("fink", kafka(Kind.UNKNOWN_TOPIC, "t", null)));
    assertEquals("; check DISTRIBUTION_SERVERS and that the cluster is running (bin/fink_kafka status)",
        CommandHints.of("fink", kafka(Kind.UNREACHABLE, null, null)));
    assertEquals("; check DISTRIBUTION_USERNAME and its password",
        CommandHints.of("fink", kafka(Kind.AUTHENTICATION_FAILED, null, "u")));
    assertEquals("; in security mode, create it as the super user: bin/fink_kafka --create-topic c --partitions 1",
        CommandHints.of("fink", kafka(Kind.CREATE_NOT_AUTHORIZED, "c", "u")));
    assertEquals(" (bin/fink start ingest --alerts PATH, or set SCIENCE_DB_PATH)",
        CommandHints.of("fink", new ScienceDbMissingException("/db")));
  }

  @Test
  void finkKafkasOwnRequestsGetNoCreateHint() {
    assertEquals("", CommandHints.of("fink_kafka", kafka(Kind.UNKNOWN_TOPIC, "t", null)));
    assertEquals(" (a local cluster has them in security mode, DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT)",
        CommandHints.of("fink_kafka", kafka(Kind.NO_AUTHORIZER, null, null)));
    assertEquals("", CommandHints.of("fink", new IllegalArgumentException("no Kafka here")));
  }
}
