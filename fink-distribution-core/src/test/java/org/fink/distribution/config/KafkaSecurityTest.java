package org.fink.distribution.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
  private static final String JAAS_PREFIX = KafkaSecurity.SCRAM_LOGIN_MODULE + " required ";

  @TempDir Path home;

  private FinkConfig load(Map<String, String> environment, String... lines) throws IOException {
    Path file = home.resolve("fink.conf");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return FinkConfig.load(file, home, environment, Map.of());
  }

  @Test
  void plaintextByDefaultGivesNoClientProperties() {
    FinkConfig config = FinkConfig.defaults(home);
    assertEquals("PLAINTEXT", config.get(ConfigKey.DISTRIBUTION_SECURITY_PROTOCOL));
    assertEquals("SCRAM-SHA-512", config.get(ConfigKey.DISTRIBUTION_SASL_MECHANISM));
    KafkaSecurity security = KafkaSecurity.of(config);
    assertFalse(security.isSasl());
    assertEquals(Map.of(), security.clientProperties());
    assertEquals("PLAINTEXT", security.toString());
  }

  @Test
  void saslTakesUserFromConfigAndPasswordFromFile() throws IOException {
    Path passwordFile = home.resolve("kafka.password");
    Files.writeString(passwordFile, "s3cret-from-file\nsecond line ignored\n");
    FinkConfig config = load(Map.of(), "DISTRIBUTION_SECURITY_PROTOCOL=sasl_plaintext", "DISTRIBUTION_USERNAME=fink",
        "DISTRIBUTION_PASSWORD_FILE=" + passwordFile);
    KafkaSecurity security = KafkaSecurity.of(config);
    assertTrue(security.isSasl());
    assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", JAAS_PREFIX + "username=\"fink\" password=\"s3cret-from-file\";"),
        security.clientProperties());
    assertEquals("SASL_PLAINTEXT, SCRAM-SHA-512 as fink", security.toString());
    assertFalse(config.asMap().containsValue("s3cret-from-file"));
  }

  @Test
  void environmentPasswordWinsOverTheFileAndIsNoConfigValue() throws IOException {
    Path passwordFile = home.resolve("kafka.password");
    Files.writeString(passwordFile, "from-file");
    FinkConfig config = load(Map.of("DISTRIBUTION_PASSWORD", "from-env", "DISTRIBUTION_SASL_MECHANISM", "scram-sha-256"),
        "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT", "DISTRIBUTION_USERNAME=fink",
        "DISTRIBUTION_PASSWORD_FILE=" + passwordFile);
    Map<String, String> props = KafkaSecurity.of(config).clientProperties();
    assertEquals("SCRAM-SHA-256", props.get("sasl.mechanism"));
    assertTrue(props.get("sasl.jaas.config").contains("password=\"from-env\""), "environment wins");
    assertFalse(config.asMap().containsValue("from-env"));
    assertEquals("******", config.distributionPassword().orElseThrow().toString());
  }

  @Test
  void quotesAndBackslashesInPasswordsAreEscapedForJaas() {
    KafkaSecurity security = KafkaSecurity.scram("SCRAM-SHA-512", "o\"brien", Secret.of("a\"b\\c"));
    assertEquals(JAAS_PREFIX + "username=\"o\\\"brien\" password=\"a\\\"b\\\\c\";",
        security.clientProperties().get("sasl.jaas.config"));
  }

  @Test
  void missingUserOrPasswordIsAClearError() throws IOException {
    ConfigException noUser = assertThrows(ConfigException.class,
        () -> KafkaSecurity.of(load(Map.of(), "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT")));
    assertTrue(noUser.getMessage().contains("needs DISTRIBUTION_USERNAME"), noUser.getMessage());

    ConfigException noPassword = assertThrows(ConfigException.class, () -> KafkaSecurity.of(
        load(Map.of(), "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT", "DISTRIBUTION_USERNAME=fink")));
    assertTrue(noPassword.getMessage().contains("no password for DISTRIBUTION_USERNAME=fink")
        && noPassword.getMessage().contains("DISTRIBUTION_PASSWORD_FILE")
        && noPassword.getMessage().contains("DISTRIBUTION_PASSWORD"), noPassword.getMessage());

    Path missing = home.resolve("absent.password");
    ConfigException unreadable = assertThrows(ConfigException.class, () -> KafkaSecurity.of(
        load(Map.of(), "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT", "DISTRIBUTION_USERNAME=fink",
            "DISTRIBUTION_PASSWORD_FILE=" + missing)));
    assertTrue(unreadable.getMessage().startsWith("DISTRIBUTION_PASSWORD_FILE=" + missing), unreadable.getMessage());
  }

  @Test
  void badProtocolOrMechanismNamesTheKey() {
    ConfigException protocol = assertThrows(ConfigException.class, () -> load(Map.of(),
        "DISTRIBUTION_SECURITY_PROTOCOL=SSL"));
    assertTrue(protocol.getMessage().contains("DISTRIBUTION_SECURITY_PROTOCOL=SSL is not supported"),
        protocol.getMessage());
    ConfigException mechanism = assertThrows(ConfigException.class, () -> load(Map.of(),
        "DISTRIBUTION_SASL_MECHANISM=GSSAPI"));
    assertTrue(mechanism.getMessage().contains("DISTRIBUTION_SASL_MECHANISM=GSSAPI is not supported"),
        mechanism.getMessage());
  }

  @Test
  void aPasswordInAConfigurationFileOrOnTheCommandLineIsRefusedWithoutShowingIt() throws IOException {
    ConfigException inFile = assertThrows(ConfigException.class,
        () -> load(Map.of(), "DISTRIBUTION_USERNAME=fink", "DISTRIBUTION_PASSWORD=hunter2"));
    assertTrue(inFile.getMessage().contains("fink.conf:2: DISTRIBUTION_PASSWORD cannot be set in a configuration file"),
        inFile.getMessage());
    assertFalse(inFile.getMessage().contains("hunter2"));
    ConfigException onCommandLine = assertThrows(ConfigException.class,
        () -> FinkConfig.load(null, home, Map.of(), Map.of("DISTRIBUTION_PASSWORD", "hunter2")));
    assertFalse(onCommandLine.getMessage().contains("hunter2"));
  }

  @Test
  void secretsDoNotShowThemselves() throws IOException {
    Secret secret = Secret.of("hunter2");
    assertEquals("******", secret.toString());
    assertEquals("hunter2", secret.reveal());
    assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
    Path empty = Files.writeString(home.resolve("empty.password"), "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> Secret.readFile(empty, "PASSWORD_FILE"));
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    Path crlf = Files.writeString(home.resolve("crlf.password"), "pw\r\n");
    assertEquals("pw", Secret.readFile(crlf, "PASSWORD_FILE").reveal());
  }

  @Test
  void saslSslAddsTheTrustStoreOfTheCaFileWithHostNamesCheckedByDefault() throws IOException {
    Path pem = Files.writeString(home.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    FinkConfig config = load(Map.of("DISTRIBUTION_PASSWORD", "pw"), "DISTRIBUTION_SECURITY_PROTOCOL=sasl_ssl",
        "DISTRIBUTION_USERNAME=fink", "DISTRIBUTION_SSL_CA_FILE=" + pem);
    KafkaSecurity security = KafkaSecurity.of(config);
    assertTrue(security.isSasl());
    assertTrue(security.isTls());
    Map<String, String> props = security.clientProperties();
    assertEquals("SASL_SSL", props.get("security.protocol"));
    assertEquals("PEM", props.get("ssl.truststore.type"));
    assertEquals(pem.toString(), props.get("ssl.truststore.location"));
    assertEquals("https", props.get("ssl.endpoint.identification.algorithm"));
    assertEquals("TLSv1.3,TLSv1.2", props.get("ssl.enabled.protocols"));
    assertEquals("SASL_SSL, SCRAM-SHA-512 as fink, CA " + pem + ", host names checked", security.toString());

    Path p12 = Files.writeString(home.resolve("ca.p12"), "x");
    Map<String, String> pkcs12 = KafkaSecurity.of(load(Map.of("DISTRIBUTION_PASSWORD", "pw"),
        "DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL", "DISTRIBUTION_USERNAME=fink", "DISTRIBUTION_SSL_CA_FILE=" + p12,
        "DISTRIBUTION_SSL_CA_PASSWORD=changeit", "DISTRIBUTION_SSL_VERIFY_HOSTNAME=false")).clientProperties();
    assertEquals("PKCS12", pkcs12.get("ssl.truststore.type"));
    assertEquals("changeit", pkcs12.get("ssl.truststore.password"));
    assertEquals("", pkcs12.get("ssl.endpoint.identification.algorithm"));
  }

  @Test
  void saslSslFallsBackToTheLocalClustersCaThenToTheJvmsAndRefusesAMissingCaFile() throws IOException {
    FinkConfig noLocal = load(Map.of("DISTRIBUTION_PASSWORD", "pw"), "DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL",
        "DISTRIBUTION_USERNAME=fink", "KAFKA_LOCAL_DATA=" + home.resolve("kafka"));
    assertFalse(KafkaSecurity.of(noLocal).clientProperties().containsKey("ssl.truststore.location"));
    Path local = home.resolve("kafka").resolve(TlsTrust.LOCAL_CA_PEM);
    Files.createDirectories(local.getParent());
    Files.writeString(local, "pem");
    assertEquals(local.toString(), KafkaSecurity.of(noLocal).clientProperties().get("ssl.truststore.location"));
    ConfigException missing = assertThrows(ConfigException.class, () -> KafkaSecurity.of(load(
        Map.of("DISTRIBUTION_PASSWORD", "pw"), "DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL",
        "DISTRIBUTION_USERNAME=fink", "DISTRIBUTION_SSL_CA_FILE=" + home.resolve("nowhere.pem"))));
    assertTrue(missing.getMessage().contains("DISTRIBUTION_SSL_CA_FILE=") && missing.getMessage().contains(
        "no such readable file"), missing.getMessage());
  }
}
