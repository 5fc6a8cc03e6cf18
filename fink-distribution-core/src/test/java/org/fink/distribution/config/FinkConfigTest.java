package org.fink.distribution.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fink.distribution.codec.MessageFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinkConfigTest {

  @TempDir Path home;

  private Path conf() throws IOException {
    return Files.createDirectories(home.resolve("conf"));
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = conf().resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private FinkConfig load(Path file) {
    return FinkConfig.load(file, home, Map.of(), Map.of());
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
    }
  }

  // ---------------------------------------------------------------- shell syntax

  @Test
  void distributionFileSourcesBaseFileByFinkHomeAndRelativePath() throws IOException {
    write("fink.conf",
        "# base configuration",
        "KAFKA_LOCAL_PORT=9300",
        "export SPARK_MASTER='local[4]'   # single quotes keep brackets",
        "SCIENCE_DB_PATH=\"${FINK_HOME}/db with space\"");
    write("fink.conf.extra", "KAFKA_LOCAL_BROKERS=3");
    Path distribution = write("fink.conf.distribution",
        "source ${FINK_HOME}/conf/fink.conf",
        ". fink.conf.extra",
        "",
        "   # indented comment",
        "DISTRIBUTION_TOPIC=alerts_$KAFKA_LOCAL_PORT",
        "DISTRIBUTION_SERVERS=\"broker-1:${KAFKA_LOCAL_PORT},broker-2:${KAFKA_LOCAL_PORT}\"",
        "DISTRIBUTION_KEY=${UNSET_THING:-candid}",
        "DISTRIBUTION_RULES_XML='$FINK_HOME/literal'",
        "KAFKA_LOCAL_DATA=/kafka#1",
        "FINK_ALERT_CHECKPOINT_KAFKA=${FINK_HOME}/cp # trailing comment");

    FinkConfig config = load(distribution);
    String h = home.toAbsolutePath().normalize().toString();

    assertEquals(h, config.get(ConfigKey.FINK_HOME));
    assertEquals("9300", config.get(ConfigKey.KAFKA_LOCAL_PORT));
    assertEquals(9300, config.integer(ConfigKey.KAFKA_LOCAL_PORT));
    assertEquals(3, config.integer(ConfigKey.KAFKA_LOCAL_BROKERS));
    assertEquals("local[4]", config.get(ConfigKey.SPARK_MASTER));
    assertEquals(h + "/db with space", config.get(ConfigKey.SCIENCE_DB_PATH));
    assertEquals("alerts_9300", config.get(ConfigKey.DISTRIBUTION_TOPIC));
    assertEquals("broker-1:9300,broker-2:9300", config.get(ConfigKey.DISTRIBUTION_SERVERS));
    assertEquals("candid", config.get(ConfigKey.DISTRIBUTION_KEY));
    assertEquals("$FINK_HOME/literal", config.get(ConfigKey.DISTRIBUTION_RULES_XML), "no expansion in single quotes");
    assertEquals("/kafka#1", config.get(ConfigKey.KAFKA_LOCAL_DATA), "# inside a word is not a comment");
    assertEquals(h + "/cp", config.get(ConfigKey.FINK_ALERT_CHECKPOINT_KAFKA));
  }

  @Test
  void laterAssignmentWinsAndDefaultSyntaxUsesDefinedValue() throws IOException {
    Path file = write("fink.conf",
        "DISTRIBUTION_TOPIC=first",
        "DISTRIBUTION_TOPIC=second",
        "DISTRIBUTION_KEY=${DISTRIBUTION_TOPIC:-unused}");
    FinkConfig config = load(file);
    assertEquals("second", config.get(ConfigKey.DISTRIBUTION_TOPIC));
    assertEquals("second", config.get(ConfigKey.DISTRIBUTION_KEY));
  }

  @Test
  void fileMayReferToEnvironmentVariables() throws IOException {
    Path file = write("fink.conf", "SCIENCE_DB_PATH=${DATA_ROOT}/science", "KAFKA_LOCAL_DATA=$DATA_ROOT/kafka");
    FinkConfig config = FinkConfig.load(file, home, Map.of("DATA_ROOT", "/data"), Map.of());
    assertEquals("/data/science", config.get(ConfigKey.SCIENCE_DB_PATH));
    assertEquals("/data/kafka", config.get(ConfigKey.KAFKA_LOCAL_DATA));
  }

  @Test
  void variableDefinedEmptyExpandsToEmpty() throws IOException {
    Path file = write("fink.conf", "DISTRIBUTION_KEY=", "DISTRIBUTION_TOPIC=fink_outstream${DISTRIBUTION_KEY}");
    assertEquals("fink_outstream", load(file).get(ConfigKey.DISTRIBUTION_TOPIC));

    Path env = write("fink2.conf", "DISTRIBUTION_TOPIC=fink_outstream${EMPTY}");
    FinkConfig config = FinkConfig.load(env, home, Map.of("EMPTY", ""), Map.of());
    assertEquals("fink_outstream", config.get(ConfigKey.DISTRIBUTION_TOPIC));

    Path fallback = write("fink3.conf", "DISTRIBUTION_TOPIC=${EMPTY:-fallback}");
    assertEquals("fallback", FinkConfig.load(fallback, home, Map.of("EMPTY", ""), Map.of())
        .get(ConfigKey.DISTRIBUTION_TOPIC), ":- also replaces an empty value, as in sh");
  }

  // ---------------------------------------------------------------- defaults and priority

  @Test
  void defaultsExpandFinkHomeAndLocalPort() {
    FinkConfig config = FinkConfig.defaults(home);
    String h = home.toAbsolutePath().normalize().toString();
    assertEquals("127.0.0.1:9092", config.get(ConfigKey.DISTRIBUTION_SERVERS));
    assertEquals("fink_outstream", config.get(ConfigKey.DISTRIBUTION_TOPIC));
    assertEquals(h + "/schemas/distribution_schema.avsc", config.get(ConfigKey.DISTRIBUTION_SCHEMA));
    assertEquals(Path.of(h, "schemas", "distribution_schema.avsc"), config.path(ConfigKey.DISTRIBUTION_SCHEMA));
    assertEquals(h + "/conf/distribution-rules.xml", config.get(ConfigKey.DISTRIBUTION_RULES_XML));
    assertEquals("parquet", config.get(ConfigKey.SCIENCE_DB_FORMAT));
    assertEquals("local[2]", config.get(ConfigKey.SPARK_MASTER));
    assertEquals(MessageFormat.FINK, config.messageFormat(), "what fink-client reads");
    assertEquals("lz4", config.compression());
    assertEquals(StartingOffset.Kind.EARLIEST, config.startingOffset().kind());
    assertEquals(2.0, config.decimal(ConfigKey.FINK_TRIGGER_UPDATE));
  }

  @Test
  void defaultServersFollowTheConfiguredLocalPort() throws IOException {
    Path file = write("fink.conf", "KAFKA_LOCAL_PORT=19092");
    assertEquals("127.0.0.1:19092", load(file).get(ConfigKey.DISTRIBUTION_SERVERS));
    FinkConfig fromEnv = FinkConfig.load(null, home, Map.of("KAFKA_LOCAL_PORT", "29092"), Map.of());
    assertEquals("127.0.0.1:29092", fromEnv.get(ConfigKey.DISTRIBUTION_SERVERS));
  }

  @Test
  void environmentOverridesFileAndOverridesBeatEnvironment() throws IOException {
    Path file = write("fink.conf", "DISTRIBUTION_TOPIC=from_file", "SPARK_MASTER=local[1]", "KAFKA_LOCAL_PORT=9100");
    Map<String, String> env = Map.of("DISTRIBUTION_TOPIC", "from_env", "KAFKA_LOCAL_PORT", "9200",
        "FINK_HOME", "/not/used");
    FinkConfig envOnly = FinkConfig.load(file, home, env, Map.of());
    assertEquals("from_env", envOnly.get(ConfigKey.DISTRIBUTION_TOPIC));
    assertEquals("local[1]", envOnly.get(ConfigKey.SPARK_MASTER), "keys the environment does not set stay");
    assertEquals("9200", envOnly.get(ConfigKey.KAFKA_LOCAL_PORT));
    assertEquals(home.toAbsolutePath().normalize().toString(), envOnly.get(ConfigKey.FINK_HOME),
        "FINK_HOME comes from the install folder given");

    FinkConfig both = FinkConfig.load(file, home, env, Map.of("DISTRIBUTION_TOPIC", "from_option"));
    assertEquals("from_option", both.get(ConfigKey.DISTRIBUTION_TOPIC));
    assertEquals("9200", both.get(ConfigKey.KAFKA_LOCAL_PORT));
  }

  @Test
  void withReplacesKeysAndValidates() {
    FinkConfig config = FinkConfig.defaults(home).with(Map.of(ConfigKey.DISTRIBUTION_FORMAT, "avro-raw"));
    assertEquals(MessageFormat.AVRO_RAW, config.messageFormat());
    ConfigException e = assertThrows(ConfigException.class,
        () -> FinkConfig.defaults(home).with(Map.of(ConfigKey.DISTRIBUTION_OFFSET, "soon")));
    assertContains(e.getMessage(), "DISTRIBUTION_OFFSET=soon");
  }

  // ---------------------------------------------------------------- errors

  @Test
  void unknownKeyInFileNamesFileLineAndClosestKey() throws IOException {
    Path base = write("fink.conf", "# comment", "", "DISTRIBUTION_TOPICS=alerts");
    Path distribution = write("fink.conf.distribution", "source fink.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> load(distribution));
    assertContains(e.getMessage(), base + ":3", "DISTRIBUTION_TOPICS", "did you mean DISTRIBUTION_TOPIC?");
  }

  @Test
  void unknownKeyFarFromAnyListsKnownKeys() throws IOException {
    Path file = write("fink.conf", "COMPLETELY_DIFFERENT=1");
    ConfigException e = assertThrows(ConfigException.class, () -> load(file));
    assertContains(e.getMessage(), file + ":1", "COMPLETELY_DIFFERENT", "known keys:", "DISTRIBUTION_SERVERS");
  }

  @Test
  void unknownOverrideKeyIsAnError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> FinkConfig.load(null, home, Map.of(), Map.of("SPARK_MASTR", "local")));
    assertContains(e.getMessage(), "SPARK_MASTR", "did you mean SPARK_MASTER?");
  }

  @Test
  void badValuesNameTheKey() throws IOException {
    ConfigException port = assertThrows(ConfigException.class,
        () -> load(write("a.conf", "KAFKA_LOCAL_PORT=abc")));
    assertContains(port.getMessage(), "KAFKA_LOCAL_PORT=abc", "not a whole number");

    ConfigException range = assertThrows(ConfigException.class,
        () -> load(write("b.conf", "KAFKA_LOCAL_PORT=70000")));
    assertContains(range.getMessage(), "KAFKA_LOCAL_PORT=70000", "out of range");

    ConfigException offset = assertThrows(ConfigException.class,
        () -> load(write("c.conf", "DISTRIBUTION_OFFSET=yesterday")));
    assertContains(offset.getMessage(), "DISTRIBUTION_OFFSET=yesterday", "earliest", "latest", "epoch milliseconds");

    ConfigException format = assertThrows(ConfigException.class,
        () -> load(write("d.conf", "DISTRIBUTION_FORMAT=protobuf")));
    assertContains(format.getMessage(), "DISTRIBUTION_FORMAT=protobuf", "fink", "json", "avro-single-object", "avro-raw",
        "avro-container");

    ConfigException compression = assertThrows(ConfigException.class,
        () -> load(write("f.conf", "DISTRIBUTION_COMPRESSION=brotli")));
    assertContains(compression.getMessage(), "DISTRIBUTION_COMPRESSION=brotli", "none, lz4, zstd, gzip, snappy");
    assertEquals("zstd", load(write("g.conf", "DISTRIBUTION_COMPRESSION=ZSTD")).compression());

    ConfigException trigger = assertThrows(ConfigException.class,
        () -> load(write("e.conf", "FINK_TRIGGER_UPDATE=often")));
    assertContains(trigger.getMessage(), "FINK_TRIGGER_UPDATE=often", "not a number");

    ConfigException db = assertThrows(ConfigException.class,
        () -> load(write("f.conf", "SCIENCE_DB_FORMAT=csv")));
    assertContains(db.getMessage(), "SCIENCE_DB_FORMAT=csv", "parquet");

    ConfigException fromEnv = assertThrows(ConfigException.class,
        () -> FinkConfig.load(null, home, Map.of("KAFKA_LOCAL_BROKERS", "many"), Map.of()));
    assertContains(fromEnv.getMessage(), "KAFKA_LOCAL_BROKERS=many");
  }

  @Test
  void undefinedVariableIsNamedWithFileAndLine() throws IOException {
    Path file = write("fink.conf", "DISTRIBUTION_TOPIC=ok", "SCIENCE_DB_PATH=${NOWHERE_DEFINED}/db");
    ConfigException e = assertThrows(ConfigException.class, () -> load(file));
    assertContains(e.getMessage(), file + ":2", "${NOWHERE_DEFINED} is not defined", "${NOWHERE_DEFINED:-value}");

    Path dollar = write("fink2.conf", "SCIENCE_DB_PATH=$NOWHERE_DEFINED/db");
    ConfigException e2 = assertThrows(ConfigException.class, () -> load(dollar));
    assertContains(e2.getMessage(), dollar + ":1", "NOWHERE_DEFINED");
  }

  @Test
  void unterminatedQuoteNamesFileAndLine() throws IOException {
    Path doubleQuote = write("fink.conf", "# header", "SPARK_MASTER=\"local[2]");
    ConfigException e = assertThrows(ConfigException.class, () -> load(doubleQuote));
    assertContains(e.getMessage(), doubleQuote + ":2", "unterminated \" quote");

    Path singleQuote = write("fink2.conf", "SPARK_MASTER='local[2]");
    ConfigException e2 = assertThrows(ConfigException.class, () -> load(singleQuote));
    assertContains(e2.getMessage(), singleQuote + ":1", "unterminated ' quote");
  }

  @Test
  void unquotedSpaceAndNonAssignmentLinesAreErrors() throws IOException {
    Path space = write("fink.conf", "SCIENCE_DB_PATH=/a b");
    ConfigException e = assertThrows(ConfigException.class, () -> load(space));
    assertContains(e.getMessage(), space + ":1", "put the value in quotes");

    Path garbage = write("fink2.conf", "DISTRIBUTION_TOPIC=x", "this is not shell");
    ConfigException e2 = assertThrows(ConfigException.class, () -> load(garbage));
    assertContains(e2.getMessage(), garbage + ":2", "expected KEY=value");
  }

  @Test
  void missingFileIsAClearError() throws IOException {
    Path missing = home.resolve("conf/nope.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> load(missing));
    assertContains(e.getMessage(), missing.toString(), "does not exist");
  }

  @Test
  void missingSourcedFileNamesTheSourceLine() throws IOException {
    Path distribution = write("fink.conf.distribution", "DISTRIBUTION_TOPIC=x", "source missing.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> load(distribution));
    assertContains(e.getMessage(), distribution + ":2", "missing.conf");
  }

  @Test
  void sourceLoopIsDetected() throws IOException {
    Path a = write("a.conf", "source b.conf");
    write("b.conf", "source a.conf");
    ConfigException e = assertThrows(ConfigException.class, () -> load(a));
    assertContains(e.getMessage(), "a loop?");
  }

  // ---------------------------------------------------------------- value parsers

  @Test
  void startingOffsetParse() {
    assertEquals(new StartingOffset(StartingOffset.Kind.EARLIEST, 0), StartingOffset.parse("earliest"));
    assertEquals(new StartingOffset(StartingOffset.Kind.LATEST, 0), StartingOffset.parse(" LATEST "));
    assertEquals(new StartingOffset(StartingOffset.Kind.TIMESTAMP, 1700000000000L),
        StartingOffset.parse("1700000000000"));
    ConfigException e = assertThrows(ConfigException.class, () -> StartingOffset.parse("yesterday"));
    assertContains(e.getMessage(), "DISTRIBUTION_OFFSET=yesterday", "1700000000000");
    assertThrows(ConfigException.class, () -> StartingOffset.parse("2023-01-01"));
  }

  @Test
  void messageFormatParse() {
    assertEquals(MessageFormat.AVRO_SINGLE_OBJECT, MessageFormat.parse("avro-single-object"));
    assertEquals(MessageFormat.AVRO_RAW, MessageFormat.parse(" avro-raw "));
    assertEquals(MessageFormat.AVRO_CONTAINER, MessageFormat.parse("avro-container"));
    for (MessageFormat f : MessageFormat.values()) {
      assertEquals(f, MessageFormat.parse(f.label()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageFormat.parse("protobuf"));
    assertContains(e.getMessage(), "message format protobuf", "fink, avro-single-object, avro-raw, avro-container, json");
  }
}
