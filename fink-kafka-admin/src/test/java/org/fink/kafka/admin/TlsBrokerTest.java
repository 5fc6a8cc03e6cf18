package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One broker in TLS mode (SASL_SSL on the client and controller listeners, certificates of a
 * {@link LocalCertificateAuthority}): a Java client reads over TLS with the generated CA (PEM and PKCS12), Python's
 * ssl module verifies chain and host name with the exported PEM and refuses another CA.
 */
class TlsBrokerTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static Path dataDir;
  private static LocalCertificateAuthority ca;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("fink-tls-broker-");
    ca = LocalCertificateAuthority.loadOrCreate(dataDir, 1, List.of("kafka.example.org"));
    broker = EmbeddedKafkaBroker.builder().dataDir(dataDir.resolve("broker-1"))
        .superUser("fink-admin", "tls-test-" + System.nanoTime()).tls(ca, 1).build().start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (broker != null) {
      broker.close();
    }
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void certificateFilesAreOwnerOnlyAndNameTheLocalAddressesAndTheExtraNames() throws Exception {
    Path dir = LocalCertificateAuthority.dir(dataDir);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
      }
    }
    assertTrue(Files.readString(ca.caPemFile()).startsWith("-----BEGIN CERTIFICATE-----"));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ca.caPkcs12File())) {
      trust.load(in, null);
    }
    assertEquals(1, trust.size(), "the PKCS12 trust store opens without password and holds the CA certificate");
    List<LocalCertificateAuthority.CertificateInfo> certificates = ca.certificates();
    assertEquals(List.of("CA", "broker 1"), certificates.stream().map(LocalCertificateAuthority.CertificateInfo::role)
        .toList());
    List<String> names = certificates.get(1).names();
    assertTrue(names.containsAll(List.of("localhost", "127.0.0.1", "kafka.example.org")), names.toString());
    assertTrue(certificates.get(1).notAfter().isAfter(Instant.now().plus(Duration.ofDays(700))));
    assertFalse(ca.toString().contains(ca.keystorePassword()));
  }

  @Test
  void brokerCertificatesAreMadeAgainWhenANameIsAddedButTheCaStays() throws IOException {
    Path other = Files.createTempDirectory("fink-tls-ca-");
    LocalCertificateAuthority first = LocalCertificateAuthority.loadOrCreate(other, 2, List.of());
    String caPem = Files.readString(first.caPemFile());
    Instant before = first.certificates().get(1).notAfter();
    LocalCertificateAuthority again = LocalCertificateAuthority.loadOrCreate(other, 2, List.of());
    assertEquals(before, again.certificates().get(1).notAfter(), "nothing made again without a reason");
    LocalCertificateAuthority renamed = LocalCertificateAuthority.loadOrCreate(other, 2, List.of("Broker.Example"));
    assertEquals(caPem, Files.readString(renamed.caPemFile()));
    assertTrue(renamed.certificates().get(2).names().contains("broker.example"));
  }

  @Test
  void aJavaClientReadsOverSaslSslWithTheGeneratedCaInPemAndPkcs12() throws Exception {
    Properties login = broker.superUserClientProperties();
    assertEquals("SASL_SSL", login.getProperty("security.protocol"));
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers(), login)) {
      admin.createTopic("tls-alerts", 1, 1);
    }
    Properties producerProps = new Properties();
    producerProps.putAll(login);
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("tls-alerts", "ZTF21abc", "alert over TLS")).get(30, TimeUnit.SECONDS);
    }
    Properties pkcs12 = new Properties();
    pkcs12.putAll(login);
    pkcs12.put("ssl.truststore.type", "PKCS12");
    pkcs12.put("ssl.truststore.location", ca.caPkcs12File().toString());
    for (Properties trust : List.of(login, pkcs12)) {
      Properties consumerProps = new Properties();
      consumerProps.putAll(trust);
      consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-" + trust.getProperty("ssl.truststore.type"));
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      List<String> values = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("tls-alerts"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
      }
      assertEquals(List.of("alert over TLS"), values, trust.getProperty("ssl.truststore.type"));
    }
  }

  @Test
  void pythonsSslModuleVerifiesChainAndHostNameWithTheExportedPemAndRefusesAnotherCa() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + ": the Python TLS handshake is not checked");
    String script = String.join("\n",
        "import socket, ssl, sys",
        "ctx = ssl.create_default_context(cafile=sys.argv[1])",
        "ctx.minimum_version = ssl.TLSVersion.TLSv1_2",
        "try:",
        "    with socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=10) as raw:",
        "        with ctx.wrap_socket(raw, server_hostname=sys.argv[3]) as tls:",
        "            print('OK', tls.version(), tls.getpeercert()['subject'])",
        "except ssl.SSLCertVerificationError as e:",
        "    print('VERIFY-FAILED', e.verify_message)",
        "    sys.exit(3)",
        "");
    Path file = dataDir.resolve("handshake.py");
    Files.writeString(file, script);
    Path otherCa = Files.createTempDirectory("fink-other-ca-");
    String port = Integer.toString(broker.port());
    String pem = ca.caPemFile().toString();

    Result ok = python(file, pem, port, "localhost");
    assertEquals(0, ok.status(), ok.output());
    assertTrue(ok.output().startsWith("OK TLSv1.3") || ok.output().startsWith("OK TLSv1.2"), ok.output());
    Result ip = python(file, pem, port, "127.0.0.1");
    assertEquals(0, ip.status(), ip.output());

    String wrongCa = LocalCertificateAuthority.loadOrCreate(otherCa, 1, List.of()).caPemFile().toString();
    Result refused = python(file, wrongCa, port, "localhost");
    assertEquals(3, refused.status(), refused.output());
    assertTrue(refused.output().contains("VERIFY-FAILED"), refused.output());
    Result wrongHost = python(file, pem, port, "elsewhere.example.org");
    assertEquals(3, wrongHost.status(), wrongHost.output());
    assertTrue(wrongHost.output().contains("mismatch") || wrongHost.output().contains("match"), wrongHost.output());
  }

  @Test
  void theBrokerLogsNeitherThePasswordNorAPrivateKey() throws IOException {
    String password = ca.keystorePassword();
    assertNotEquals("", password);
    for (String property : broker.brokerProperties().stringPropertyNames()) {
      if (property.startsWith("ssl.") && !property.contains("password")) {
        assertFalse(broker.brokerProperties().getProperty(property).contains(password), property);
      }
    }
    assertFalse(Files.readString(ca.caPemFile()).contains("PRIVATE KEY"));
  }

  private static Result python(Path script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python did not finish");
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8).strip());
  }

  private record Result(int status, String output) {
  }
}
