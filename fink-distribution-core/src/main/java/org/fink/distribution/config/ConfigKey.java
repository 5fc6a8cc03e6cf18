package org.fink.distribution.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The configuration keys users may set (DESIGN.md §4), with their defaults.
 *
 * <p>Defaults may refer to other keys with {@code ${KEY}}; they are expanded like file values.
 */
public enum ConfigKey {
  FINK_HOME(null, "install folder; predefined"),
  DISTRIBUTION_SERVERS("127.0.0.1:${KAFKA_LOCAL_PORT}", "Kafka bootstrap servers of the distribution cluster"),
  DISTRIBUTION_TOPIC("fink_outstream", "topic of the default stream"),
  DISTRIBUTION_SCHEMA("${FINK_HOME}/schemas/distribution_schema.avsc", "where the default stream's Avro schema is written"),
  DISTRIBUTION_SCHEMA_TOPIC("fink_schemas", "compacted topic where stream schemas are published; empty: none (and in"
      + " the fink framing no <topic>_schema either)"),
  DISTRIBUTION_RULES_XML("${FINK_HOME}/conf/distribution-rules.xml", "distribution rules file"),
  DISTRIBUTION_OFFSET("earliest", "where a new checkpoint starts: earliest | latest | epoch milliseconds"),
  DISTRIBUTION_FORMAT("fink", "message framing: fink (key = schema JSON, value = bare Avro record: what fink-client"
      + " reads) | avro-single-object | avro-raw | avro-container | json"),
  DISTRIBUTION_KEY("objectId", "alert field naming the object (ZTF objectId, Rubin diaSource.diaObjectId): the Kafka"
      + " message key, and in the fink framing what picks the partition"),
  DISTRIBUTION_COMPRESSION("lz4", "producer compression: none | lz4 | zstd | gzip | snappy"),
  DISTRIBUTION_SECURITY_PROTOCOL("PLAINTEXT", "PLAINTEXT, SASL_PLAINTEXT or SASL_SSL: clients authenticate with"
      + " SASL/SCRAM (over TLS with SASL_SSL) and the local cluster starts with SASL listeners, ACLs and a super user"
      + " (and TLS certificates of a private CA with SASL_SSL)"),
  DISTRIBUTION_SSL_CA_FILE("", "SASL_SSL: the CA certificate clients trust, PEM or PKCS12 (.p12/.pfx); empty: the"
      + " local cluster's KAFKA_LOCAL_DATA/tls/ca.pem when it exists, else the JVM's trusted CAs"),
  DISTRIBUTION_SSL_CA_PASSWORD("", "password of a PKCS12 DISTRIBUTION_SSL_CA_FILE, if it has one (it holds only public"
      + " certificates)"),
  DISTRIBUTION_SSL_VERIFY_HOSTNAME("true", "SASL_SSL: check that the broker's certificate names the host connected"
      + " to (true; false only for tests)"),
  DISTRIBUTION_SASL_MECHANISM("SCRAM-SHA-512", "SASL mechanism of the clients: SCRAM-SHA-512 or SCRAM-SHA-256"),
  DISTRIBUTION_USERNAME(null, "user the distribution and distribution_test connect as (SASL)"),
  DISTRIBUTION_PASSWORD_FILE(null, "file whose first line is that user's password; the environment variable"
      + " DISTRIBUTION_PASSWORD wins over it"),
  DISTRIBUTION_DELIVERY("at-least-once", "at-least-once | exactly-once (Kafka transactions; consumers read with"
      + " isolation.level=read_committed)"),
  DISTRIBUTION_COMMITS_TOPIC("fink_distribution_commits", "topic of the exactly-once commit markers (one partition,"
      + " created when missing)"),
  DISTRIBUTION_MAX_FILES_PER_TRIGGER("0", "science-database files per micro-batch at most; 0: no limit"),
  FINK_TRIGGER_UPDATE("2", "seconds between two scans of the science database"),
  FINK_ALERT_CHECKPOINT_KAFKA("${FINK_HOME}/run/checkpoints/distribution", "checkpoint folder of the distribution"),
  SCIENCE_DB_PATH("${FINK_HOME}/run/science_db", "science database folder (Parquet, partitioned by night)"),
  SCIENCE_DB_FORMAT("parquet", "science database format"),
  INGEST_KAFKA_SERVERS("", "Kafka bootstrap servers of the survey's alert stream (start ingest --from-kafka)"),
  INGEST_KAFKA_TOPICS("", "the survey's alert topics, comma-separated (start ingest --from-kafka)"),
  INGEST_STARTING_OFFSET("earliest", "where a new Kafka ingest checkpoint starts: earliest | latest | epoch"
      + " milliseconds"),
  INGEST_KAFKA_PROPERTIES("", "a Java properties file of Kafka consumer settings for the survey's cluster"
      + " (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*); empty: none"),
  INGEST_SCHEMA_REGISTRY_URL("", "a Confluent schema registry of the survey (Rubin): a wire-format schema id that"
      + " the --schemas folder lacks is fetched from URL/schemas/ids/ID; empty: the folder only"),
  INGEST_CHECKPOINT("${FINK_HOME}/run/checkpoints/ingest", "checkpoint folder of the Kafka ingest"),
  INGEST_QUARANTINE("${FINK_HOME}/run/quarantine", "where the Kafka ingest keeps bad messages"
      + " (<topic>-<partition>-<offset>.avro|.bin and its .reason.txt)"),
  INGEST_TRIGGER("0.5", "seconds between two reads of the survey's topics by the Kafka ingest"),
  INGEST_MAX_OFFSETS_PER_TRIGGER("2000", "survey messages per Kafka ingest micro-batch at most (0: no limit); smaller"
      + " batches reach the distribution sooner (bench/README.md: live latency)"),
  SPARK_MASTER("local[2]", "Spark master URL"),
  KAFKA_LOCAL_PORT("9092", "client port of the first local broker"),
  KAFKA_LOCAL_DATA("${FINK_HOME}/run/kafka", "data and logs of the local cluster"),
  KAFKA_LOCAL_BROKERS("1", "number of local brokers"),
  KAFKA_LOCAL_TLS_NAMES("", "SASL_SSL: extra host names or IP addresses (comma-separated) the local brokers'"
      + " certificates name, besides localhost, 127.0.0.1 and this machine's host name"),
  KAFKA_HOME("", "an Apache Kafka installation (3.3 or later, KRaft) whose bin/kafka-storage.sh and"
      + " bin/kafka-server-start.sh run the local brokers instead of the bundled broker; empty: the bundled broker");

  private final String defaultValue;
  private final String description;

  ConfigKey(String defaultValue, String description) {
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The default, possibly with {@code ${KEY}} references; empty when the key has none. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String description() {
    return description;
  }

  /** The key of that name, if it is one. */
  public static Optional<ConfigKey> named(String name) {
    return Arrays.stream(values()).filter(k -> k.name().equals(name)).findFirst();
  }
}
