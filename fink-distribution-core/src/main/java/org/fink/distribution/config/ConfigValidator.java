package org.fink.distribution.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Checks the type and range of every configuration key at load, before anything starts: each problem names where the
 * value was set (file and line, environment, option), the key, the value and the fix.
 *
 * <pre>{@code
 * List<String> problems = ConfigValidator.problems(values, origins);
 * // ["conf/fink.conf:27: FINK_TRIGGER_UPDATE=NaN is not a number of seconds from 0 to 86400; write e.g. ..."]
 * }</pre>
 */
final class ConfigValidator {
  /** The longest pause between two scans of the science database, in seconds: a day. */
  static final double MAX_TRIGGER_SECONDS = 86_400;

  private static final Pattern SERVER =
      Pattern.compile("(?:[A-Za-z_]+://)?(?:\\[[0-9A-Fa-f:.%a-zA-Z]+]|[A-Za-z0-9_.-]+):([0-9]{1,5})");
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(?:[1-9][0-9]*|\\*)(?:\\s*,\\s*[0-9]+)?])?");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]");
  private static final Pattern STANDALONE = Pattern.compile("spark://[A-Za-z0-9_.-]+:[0-9]{1,5}"
      + "(?:,[A-Za-z0-9_.-]+:[0-9]{1,5})*");
  private static final Pattern CLUSTER_MANAGER = Pattern.compile("yarn|k8s://\\S+");

  private final Map<ConfigKey, String> values;
  private final Map<ConfigKey, String> origins;
  private final List<String> problems = new ArrayList<>();

  private ConfigValidator(Map<ConfigKey, String> values, Map<ConfigKey, String> origins) {
    this.values = values;
    this.origins = origins;
  }

  /**
   * Every problem of the values, each on one line; empty when there is none.
   *
   * @param origins where each key was set: "file:line", "the environment", "a command-line option"; absent: default
   */
  static List<String> problems(Map<ConfigKey, String> values, Map<ConfigKey, String> origins) {
    ConfigValidator validator = new ConfigValidator(values, origins);
    validator.checkAll();
    return validator.problems;
  }

  private void checkAll() {
    for (ConfigKey key : new ConfigKey[] {ConfigKey.KAFKA_LOCAL_PORT, ConfigKey.KAFKA_LOCAL_BROKERS}) {
      wholeNumber(key, 1, key == ConfigKey.KAFKA_LOCAL_PORT ? 65535 : 9, key == ConfigKey.KAFKA_LOCAL_PORT
          ? "a port" : "a number of brokers", key == ConfigKey.KAFKA_LOCAL_PORT ? "9092" : "1");
    }
    wholeNumber(ConfigKey.DISTRIBUTION_MAX_FILES_PER_TRIGGER, 0, Integer.MAX_VALUE,
        "a number of files (0: no limit)", "0");
    seconds(ConfigKey.FINK_TRIGGER_UPDATE);
    seconds(ConfigKey.INGEST_TRIGGER);
    wholeNumber(ConfigKey.INGEST_MAX_OFFSETS_PER_TRIGGER, 0, Long.MAX_VALUE, "a number of messages (0: no limit)",
        "2000");
    if (values.get(ConfigKey.INGEST_KAFKA_SERVERS) != null && !values.get(ConfigKey.INGEST_KAFKA_SERVERS).isBlank()) {
      servers(ConfigKey.INGEST_KAFKA_SERVERS); // empty until start ingest --from-kafka needs it
    }
    parsed(ConfigKey.INGEST_STARTING_OFFSET, value -> {
      try {
        StartingOffset.parse(value);
      } catch (ConfigException e) {
        throw new ConfigException(e.getMessage().replace(ConfigKey.DISTRIBUTION_OFFSET.name(),
            ConfigKey.INGEST_STARTING_OFFSET.name()));
      }
    });
    servers(ConfigKey.DISTRIBUTION_SERVERS);
    topic(ConfigKey.DISTRIBUTION_TOPIC, false);
    topic(ConfigKey.DISTRIBUTION_SCHEMA_TOPIC, true);
    topic(ConfigKey.DISTRIBUTION_COMMITS_TOPIC, true);
    sparkMaster(ConfigKey.SPARK_MASTER);
    parsed(ConfigKey.DISTRIBUTION_OFFSET, StartingOffset::parse);
    parsed(ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL, KafkaSecurity.Protocol::parse);
    parsed(ConfigKey.DISTRIBUTION_SASL_MECHANISM, KafkaSecurity::parseMechanism);
    parsed(ConfigKey.DISTRIBUTION_DELIVERY, DeliveryGuarantee::parse);
    parsed(ConfigKey.DISTRIBUTION_FORMAT, FinkConfig::messageFormat);
    parsed(ConfigKey.DISTRIBUTION_COMPRESSION, FinkConfig::compression);
    parsed(ConfigKey.SCIENCE_DB_FORMAT, value -> {
      if (!value.toLowerCase(Locale.ROOT).matches("parquet|delta|orc|avro")) {
        throw new ConfigException("SCIENCE_DB_FORMAT=" + value + " is not supported; use parquet (or orc, avro,"
            + " delta)");
      }
    });
    parsed(ConfigKey.DISTRIBUTION_SSL_VERIFY_HOSTNAME, value -> {
      if (!value.strip().equalsIgnoreCase("true") && !value.strip().equalsIgnoreCase("false")) {
        throw new ConfigException(ConfigKey.DISTRIBUTION_SSL_VERIFY_HOSTNAME + "=" + value
            + " is not valid; use true or false");
      }
    });
    for (ConfigKey key : new ConfigKey[] {ConfigKey.DISTRIBUTION_SCHEMA, ConfigKey.DISTRIBUTION_RULES_XML,
        ConfigKey.FINK_ALERT_CHECKPOINT_KAFKA, ConfigKey.SCIENCE_DB_PATH, ConfigKey.KAFKA_LOCAL_DATA,
        ConfigKey.INGEST_CHECKPOINT, ConfigKey.INGEST_QUARANTINE}) {
      path(key, false);
    }
    for (ConfigKey key : new ConfigKey[] {ConfigKey.KAFKA_HOME, ConfigKey.DISTRIBUTION_SSL_CA_FILE,
        ConfigKey.DISTRIBUTION_PASSWORD_FILE, ConfigKey.INGEST_KAFKA_PROPERTIES}) {
      path(key, true);
    }
    String delivery = values.get(ConfigKey.DISTRIBUTION_DELIVERY);
    String commits = values.get(ConfigKey.DISTRIBUTION_COMMITS_TOPIC);
    if (delivery != null && delivery.strip().equalsIgnoreCase("exactly-once") && (commits == null
        || commits.isBlank())) {
      problem(ConfigKey.DISTRIBUTION_COMMITS_TOPIC, "is empty, but DISTRIBUTION_DELIVERY=exactly-once needs a topic"
          + " for its commit markers; set e.g. DISTRIBUTION_COMMITS_TOPIC=fink_distribution_commits");
    }
  }

  /** Where a key was set, as a message prefix. */
  private String origin(ConfigKey key) {
    String origin = origins.get(key);
    return origin == null ? "" : origin + ": ";
  }

  private void problem(ConfigKey key, String what) {
    problems.add(origin(key) + key + "=" + values.get(key) + " " + what);
  }

  /** A parser's own error (which names key and value), with where the value was set. */
  private void parsed(ConfigKey key, Consumer<String> parser) {
    String value = values.get(key);
    if (value == null) {
      return;
    }
    try {
      parser.accept(value);
    } catch (ConfigException | IllegalArgumentException e) {
      problems.add(origin(key) + e.getMessage());
    }
  }

  private void wholeNumber(ConfigKey key, long min, long max, String what, String example) {
    String value = values.get(key);
    if (value == null) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      problem(key, "is not a whole number; write " + what + " from " + min + " to " + max + ", e.g. " + key + "="
          + example);
      return;
    }
    if (n < min || n > max) {
      problem(key, "is out of range; write " + what + " from " + min + " to " + max + ", e.g. " + key + "="
          + example);
    }
  }

  private void seconds(ConfigKey key) {
    String value = values.get(key);
    if (value == null) {
      return;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!(seconds >= 0 && seconds <= MAX_TRIGGER_SECONDS)) {
      problem(key, "is not a number of seconds from 0 to " + (long) MAX_TRIGGER_SECONDS + " (a day); write e.g. "
          + key + "=2");
    }
  }

  private void servers(ConfigKey key) {
    String value = values.get(key);
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      problem(key, "is empty; list the Kafka bootstrap servers as host:port, comma-separated, e.g. " + key
          + "=broker1:9092,broker2:9092");
      return;
    }
    for (String server : value.split(",", -1)) {
      Matcher m = SERVER.matcher(server.strip());
      if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
        problem(key, "is not a list of host:port: \"" + server.strip() + "\" is not host:port with a port from 1 to"
            + " 65535; write e.g. " + key + "=broker1:9092,broker2:9092");
        return;
      }
    }
  }

  private void topic(ConfigKey key, boolean mayBeEmpty) {
    String value = values.get(key);
    if (value == null || (mayBeEmpty && value.isEmpty())) {
      return;
    }
    try {
      Topic.validate(value);
    } catch (InvalidTopicException e) {
      problem(key, "is not a valid Kafka topic name (" + e.getMessage().replaceFirst("\\.$", "")
          + "); use at most 249 letters, digits, '.', '_' or '-', e.g. " + key + "="
          + key.defaultValue().orElse("fink_outstream"));
    }
  }

  private void sparkMaster(ConfigKey key) {
    String value = values.get(key);
    if (value == null) {
      return;
    }
    String master = value.strip();
    if (!LOCAL.matcher(master).matches() && !LOCAL_CLUSTER.matcher(master).matches()
        && !STANDALONE.matcher(master).matches() && !CLUSTER_MANAGER.matcher(master).matches()) {
      problem(key, "is not a Spark master URL; use local[N] (N cores, or * for all), spark://host:port (a standalone"
          + " cluster), yarn or k8s://https://host:port, e.g. " + key + "=local[2]");
    }
  }

  private void path(ConfigKey key, boolean mayBeEmpty) {
    String value = values.get(key);
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      if (!mayBeEmpty) {
        problem(key, "is empty; name a file or folder, e.g. " + key + "=" + key.defaultValue().orElse(""));
      }
      return;
    }
    try {
      Path.of(value);
    } catch (InvalidPathException e) {
      problem(key, "is not a valid path (" + e.getReason() + "); name a file or folder");
    }
  }
}
