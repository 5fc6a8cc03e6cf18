package org.fink.distribution.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every key's type and range is checked at load; the error names where it was set, the key, the value, the fix. */
class ConfigValidatorTest {
  @TempDir Path home;

  private Path file(String line) throws IOException {
    return Files.writeString(home.resolve("fink.conf"), "# a comment\nDISTRIBUTION_TOPIC=fink_outstream\n" + line
        + "\n");
  }

  private String refused(String line) throws IOException {
    Path file = file(line);
    return assertThrows(ConfigException.class, () -> FinkConfig.load(file, home, Map.of(), Map.of())).getMessage();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "FINK_TRIGGER_UPDATE=NaN | is not a number of seconds from 0 to 86400 (a day); write e.g. FINK_TRIGGER_UPDATE=2",
      "FINK_TRIGGER_UPDATE=1e300 | is not a number of seconds from 0 to 86400",
      "FINK_TRIGGER_UPDATE=-1 | is not a number of seconds",
      "FINK_TRIGGER_UPDATE=Infinity | is not a number of seconds",
      "DISTRIBUTION_MAX_FILES_PER_TRIGGER=-1 | is out of range; write a number of files (0: no limit) from 0 to",
      "DISTRIBUTION_MAX_FILES_PER_TRIGGER=99999999999 | is out of range",
      "DISTRIBUTION_OFFSET=-5 | is before 1970; use earliest, latest or epoch milliseconds from 0 on",
      "DISTRIBUTION_TOPIC='bad topic!' | is not a valid Kafka topic name (",
      "DISTRIBUTION_TOPIC=.. | is not a valid Kafka topic name",
      "DISTRIBUTION_SCHEMA_TOPIC=schémas | is not a valid Kafka topic name",
      "DISTRIBUTION_COMMITS_TOPIC=a/b | is not a valid Kafka topic name",
      "DISTRIBUTION_SERVERS=localhost | is not a list of host:port: \"localhost\" is not host:port",
      "DISTRIBUTION_SERVERS=host:99999 | with a port from 1 to 65535",
      "DISTRIBUTION_SERVERS='b1:9092,,b2:9092' | is not a list of host:port",
      "DISTRIBUTION_SERVERS= | is empty; list the Kafka bootstrap servers as host:port",
      "SPARK_MASTER=garbage://x | is not a Spark master URL; use local[N]",
      "SPARK_MASTER='local[0]' | is not a Spark master URL",
      "DISTRIBUTION_SSL_VERIFY_HOSTNAME=maybe | is not valid; use true or false",
      "KAFKA_LOCAL_BROKERS=0 | is out of range",
      "SCIENCE_DB_PATH= | is empty; name a file or folder",
  })
  void aBadValueIsNamedWithItsFileLineKeyAndFix(String line, String expected) throws IOException {
    String message = refused(line);
    String key = line.substring(0, line.indexOf('='));
    assertTrue(message.startsWith(home.resolve("fink.conf") + ":3: " + key + "="), message);
    assertTrue(message.contains(expected), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SPARK_MASTER=local", "SPARK_MASTER='local[*]'", "SPARK_MASTER='local[4,2]'",
      "SPARK_MASTER=spark://master:7077", "SPARK_MASTER=spark://m1:7077,m2:7077", "SPARK_MASTER=yarn",
      "SPARK_MASTER=k8s://https://k8s.example.org:443", "SPARK_MASTER='local-cluster[1,1,1024]'",
      "DISTRIBUTION_SERVERS='b1.example.org:9092, b2:9093'", "DISTRIBUTION_SERVERS=SASL_SSL://b1:9093",
      "DISTRIBUTION_SERVERS='[::1]:9092'", "DISTRIBUTION_SCHEMA_TOPIC=", "DISTRIBUTION_OFFSET=1700000000000",
      "FINK_TRIGGER_UPDATE=0.5", "DISTRIBUTION_MAX_FILES_PER_TRIGGER=0", "DISTRIBUTION_TOPIC=fink.out-stream_2"})
  void goodValuesAreAccepted(String line) throws IOException {
    Path file = file(line);
    assertDoesNotThrow(() -> FinkConfig.load(file, home, Map.of(), Map.of()));
  }

  @Test
  void everyProblemIsListedAtOnce() throws IOException {
    String message = refused("FINK_TRIGGER_UPDATE=NaN\nSPARK_MASTER=garbage://x");
    assertEquals(2, message.lines().count(), message);
    assertTrue(message.contains(":3: FINK_TRIGGER_UPDATE=NaN"), message);
    assertTrue(message.contains(":4: SPARK_MASTER=garbage://x"), message);
  }

  @Test
  void kafkaIngestKeysAreChecked() throws IOException {
    String message = refused("INGEST_TRIGGER=soon\nINGEST_MAX_OFFSETS_PER_TRIGGER=-1\nINGEST_STARTING_OFFSET=yesterday"
        + "\nINGEST_KAFKA_SERVERS=nohostport");
    assertEquals(4, message.lines().count(), message);
    assertTrue(message.contains("INGEST_TRIGGER=soon is not a number"), message);
    assertTrue(message.contains("INGEST_MAX_OFFSETS_PER_TRIGGER=-1"), message);
    assertTrue(message.contains("INGEST_STARTING_OFFSET=yesterday is not valid; use earliest, latest or epoch"),
        message);
    assertTrue(message.contains("INGEST_KAFKA_SERVERS=nohostport"), message);
  }

  @Test
  void valuesFromTheEnvironmentAndOptionsAreNamedSo() {
    ConfigException env = assertThrows(ConfigException.class,
        () -> FinkConfig.load(null, home, Map.of("FINK_TRIGGER_UPDATE", "NaN"), Map.of()));
    assertTrue(env.getMessage().startsWith("environment variable FINK_TRIGGER_UPDATE: FINK_TRIGGER_UPDATE=NaN is"
        + " not a number"), env.getMessage());
    ConfigException option = assertThrows(ConfigException.class,
        () -> FinkConfig.load(null, home, Map.of(), Map.of("DISTRIBUTION_TOPIC", "a b")));
    assertTrue(option.getMessage().startsWith("option for DISTRIBUTION_TOPIC: DISTRIBUTION_TOPIC=a b is not a valid"
        + " Kafka topic name"), option.getMessage());
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithItsLine() throws IOException {
    Path latin1 = home.resolve("latin1.conf");
    Files.write(latin1, "DISTRIBUTION_TOPIC=fink_outstream\n# caf\u00e9\nFINK_TRIGGER_UPDATE=2\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    ConfigException e = assertThrows(ConfigException.class, () -> FinkConfig.load(latin1, home, Map.of(), Map.of()));
    assertEquals(latin1 + ":2: not UTF-8 text (byte 0xE9 at column 6); save the file as UTF-8 (e.g. iconv -f latin1"
        + " -t utf-8), or remove the character", e.getMessage());

    Path utf16 = home.resolve("utf16.conf");
    Files.write(utf16, "FINK_TRIGGER_UPDATE=2\n".getBytes(StandardCharsets.UTF_16LE));
    ConfigException e16 = assertThrows(ConfigException.class, () -> FinkConfig.load(utf16, home, Map.of(), Map.of()));
    assertTrue(e16.getMessage().startsWith(utf16 + ":1: a NUL character: not UTF-8 text"), e16.getMessage());

    Path bom = home.resolve("bom.conf");
    Files.writeString(bom, "\uFEFFFINK_TRIGGER_UPDATE=3\n");
    assertEquals("3", FinkConfig.load(bom, home, Map.of(), Map.of()).get(ConfigKey.FINK_TRIGGER_UPDATE));
  }

  @Test
  void devZeroIsNotAConfigurationFile() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero here");
    ConfigException e = assertThrows(ConfigException.class, () -> FinkConfig.load(zero, home, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("/dev/zero"), e.getMessage());
  }

  @Test
  void aSourcedDeviceIsRefusedWithoutReadingIt() throws IOException {
    assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
    Path file = file("source /dev/zero");
    ConfigException e = assertThrows(ConfigException.class, () -> FinkConfig.load(file, home, Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("/dev/zero"), e.getMessage());
  }
}
