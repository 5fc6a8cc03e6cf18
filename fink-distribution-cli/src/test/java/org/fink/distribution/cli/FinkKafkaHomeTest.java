package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.fink.kafka.admin.LocalClusterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fink_kafka start/status/stop} with {@code KAFKA_HOME} pointing at an Apache Kafka installation laid out as
 * the Kafka distribution is ({@code kafka_2.13-VERSION/bin, libs, config}), built from the Maven artifacts: the
 * scripts are minimal equivalents of the distribution's (classpath from {@code libs/*}, {@code exec java} with
 * {@code kafka.tools.StorageTool} or {@code kafka.Kafka}); {@code libs/} links the Kafka, Scala and logging jars of this
 * test's classpath. The brokers must be processes of that installation, and nothing may be left running.
 */
class FinkKafkaHomeTest {
  /** Maven artifacts of a Kafka distribution's {@code libs/} (with every org.apache.kafka artifact). */
  private static final Set<String> KAFKA_LIBS = Set.of("scala-library", "scala-reflect", "scala-logging_2.13",
      "slf4j-api", "log4j-api", "log4j-core", "log4j-slf4j2-impl", "jackson-annotations", "jackson-core",
      "jackson-databind", "jackson-dataformat-csv", "jackson-dataformat-yaml", "jackson-datatype-jdk8", "snakeyaml",
      "caffeine", "zstd-jni", "lz4-java", "snappy-java", "re2j", "commons-beanutils", "commons-collections",
      "commons-digester", "commons-validator", "jopt-simple", "argparse4j", "jose4j", "HdrHistogram", "jspecify",
      "pcollections", "hash4j");
  private static final Pattern KAFKA_JAR = Pattern.compile("kafka_2\\.13-([0-9.]+)\\.jar");
  private static final Pattern PID = Pattern.compile("broker (\\d): pid (\\d+)");

  @TempDir
  Path dir;

  /** The installation, outside {@code dir}: JUnit warns about each link of a temporary folder it deletes. */
  static Path installs;
  static Path home;

  @BeforeAll
  static void kafkaInstall() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isDirectory(Path.of("/proc/self")),
        "Kafka's scripts need bash, and this test reads command lines from /proc");
    installs = Files.createTempDirectory("fink-kafka-home-");
    home = kafkaHome(installs);
  }

  @AfterAll
  static void deleteInstall() throws IOException {
    if (installs == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(installs)) { // links are deleted, never followed
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** Output and exit code of one fink_kafka run. */
  record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FinkKafkaCommand.commandLine(new FinkKafkaCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void startsTopicsAndStopsBrokersOfAnExistingKafkaInstall() throws Exception {
    int port = freePortRange(2);
    Path data = dir.resolve("kafka");
    String servers = "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1);
    String conf = conf("home.conf", "KAFKA_HOME=" + home, "KAFKA_LOCAL_PORT=" + port, "KAFKA_LOCAL_DATA=" + data,
        "DISTRIBUTION_SERVERS=" + servers);
    List<Long> pids = new ArrayList<>();
    try {
      Run start = run("start", "--brokers", "2", "--conf", conf);
      assertEquals(0, start.exitCode(), start.err());
      assertEquals(servers, start.out().strip());
      assertTrue(start.err().contains("2 broker(s), replication factor 2, min.insync.replicas 2"), start.err());
      assertTrue(start.err().contains("brokers: Apache Kafka " + version(home) + " from KAFKA_HOME=" + home),
          start.err());

      Run status = run("status", "--conf", conf);
      assertEquals(0, status.exitCode(), status.err());
      Matcher matcher = PID.matcher(status.out());
      while (matcher.find()) {
        pids.add(Long.parseLong(matcher.group(2)));
      }
      assertEquals(2, pids.size(), status.out());
      assertTrue(status.out().contains("port " + port + ", running, answering"), status.out());
      assertTrue(status.out().contains("port " + (port + 1) + ", running, answering"), status.out());
      for (int i = 0; i < pids.size(); i++) {
        List<String> command = commandLine(pids.get(i));
        String classpath = command.get(command.indexOf("-cp") + 1);
        assertTrue(Arrays.stream(classpath.split(File.pathSeparator)).allMatch(
            jar -> Path.of(jar).normalize().startsWith(home.resolve("libs"))), "classpath from KAFKA_HOME/libs: "
            + classpath);
        assertEquals("kafka.Kafka", command.get(command.size() - 2), "main class: " + command);
        assertEquals(data.resolve("config").resolve("broker-" + (i + 1) + ".properties").toString(),
            command.get(command.size() - 1));
        assertFalse(String.join(" ", command).contains("LocalBrokerMain"), "not the bundled broker");
      }
      assertTrue(Files.isRegularFile(data.resolve("logs/broker-1/server.log")), "Kafka's own log in LOG_DIR");
      assertTrue(Files.readString(data.resolve("logs/broker-2.log")).contains("formatting the storage of broker 2"));

      Run topic = run("--conf", conf, "--create-topic", "home-topic", "--partitions", "2");
      assertEquals(0, topic.exitCode(), topic.err());
      assertEquals("created topic home-topic (2 partitions, replication factor 2) on " + servers, topic.out().strip());
      Run list = run("--conf", conf, "--list-topics");
      assertEquals(0, list.exitCode(), list.err());
      assertEquals(List.of("home-topic"), list.out().lines().toList());
      Run again = run("start", "--brokers", "2", "--conf", conf);
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.err().contains("already running"), again.err());

      Run stop = run("stop", "--conf", conf);
      assertEquals(0, stop.exitCode(), stop.err());
      assertTrue(stop.out().startsWith("local Kafka cluster stopped"), stop.out());
      Run stopped = run("status", "--conf", conf);
      assertTrue(stopped.out().startsWith("no local Kafka cluster running"), stopped.out());
      for (long pid : pids) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker pid " + pid + " ended");
      }
      assertFalse(listening(port) || listening(port + 1) || listening(port + 1000) || listening(port + 1001));
      assertEquals(List.of(), processesOf(home), "nothing of KAFKA_HOME left running");
    } finally {
      run("stop", "--conf", conf);
    }
  }

  @Test
  void securityModeNeedsTheBundledBroker() throws Exception {
    Path data = dir.resolve("secure");
    String conf = conf("secure.conf", "KAFKA_HOME=" + home, "KAFKA_LOCAL_PORT=" + freePortRange(1),
        "KAFKA_LOCAL_DATA=" + data, "DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT");
    Run start = run("start", "--conf", conf);
    assertEquals(1, start.exitCode());
    assertTrue(start.err().startsWith("fink_kafka: security mode (DISTRIBUTION_SECURITY_PROTOCOL=SASL_PLAINTEXT"),
        start.err());
    assertTrue(start.err().contains("needs the bundled broker, not Apache Kafka " + version(home)
        + " from KAFKA_HOME=" + home), start.err());
    assertFalse(Files.exists(data.resolve("local-cluster.state")), "nothing started");
  }

  @Test
  void aFolderThatIsNotAKafkaInstallIsNamed() throws Exception {
    Path notKafka = Files.createDirectories(dir.resolve("not-kafka"));
    String conf = conf("wrong.conf", "KAFKA_HOME=" + notKafka, "KAFKA_LOCAL_PORT=" + freePortRange(1),
        "KAFKA_LOCAL_DATA=" + dir.resolve("wrong"));
    Run start = run("start", "--conf", conf);
    assertEquals(1, start.exitCode());
    assertEquals("fink_kafka: KAFKA_HOME=" + notKafka + " is not an Apache Kafka installation:"
        + " bin/kafka-storage.sh is missing or not executable; set KAFKA_HOME to the folder holding bin/ and libs/,"
        + " or leave it empty to use the bundled broker", start.err().strip());
    assertEquals(0, run("stop", "--conf", conf).exitCode(), "stop needs no installation");
  }

  /**
   * {@code parent/kafka_2.13-VERSION}: {@code bin/} with the scripts of this test's resources, {@code config/} with
   * their log4j files, {@code libs/} with links to the Kafka, Scala and logging jars of the test classpath.
   */
  static Path kafkaHome(Path parent) throws IOException {
    List<Path> jars = new ArrayList<>();
    String version = null;
    for (String entry : testClasspath().split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (!entry.endsWith(".jar") || jar.getParent() == null || jar.getParent().getParent() == null) {
        continue;
      }
      Path artifactFolder = jar.getParent().getParent();
      String artifact = artifactFolder.getFileName().toString();
      boolean kafka = artifactFolder.getParent().endsWith(Path.of("org", "apache", "kafka"));
      boolean yammer = artifact.equals("metrics-core") && artifactFolder.getParent().endsWith(Path.of("com", "yammer",
          "metrics"));
      if (kafka || yammer || KAFKA_LIBS.contains(artifact)) {
        jars.add(jar);
        Matcher matcher = KAFKA_JAR.matcher(jar.getFileName().toString());
        if (matcher.matches()) {
          version = matcher.group(1);
        }
      }
    }
    assertTrue(version != null, "kafka_2.13 on the test classpath: " + testClasspath());
    Path home = parent.resolve("kafka_2.13-" + version);
    Files.createDirectories(home.resolve("libs"));
    for (Path jar : jars) {
      Files.createSymbolicLink(home.resolve("libs").resolve(jar.getFileName()), jar.toAbsolutePath());
    }
    for (String file : List.of("bin/kafka-run-class.sh", "bin/kafka-storage.sh", "bin/kafka-server-start.sh",
        "config/log4j2.yaml", "config/tools-log4j2.yaml")) {
      Path target = home.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = FinkKafkaHomeTest.class.getResourceAsStream("/kafka-home/" + file)) {
        Files.copy(in, target);
      }
      if (file.endsWith(".sh")) {
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    return home;
  }

  private static String version(Path home) {
    return home.getFileName().toString().substring("kafka_2.13-".length());
  }

  /** Under surefire, {@code java.class.path} may be a manifest-only booter jar: the real one is this property. */
  private static String testClasspath() {
    String classpath = System.getProperty("surefire.test.class.path");
    return classpath == null || classpath.isBlank() ? System.getProperty("java.class.path") : classpath;
  }

  /** A process's full command line, from {@code /proc} (ps may cut long ones). */
  private static List<String> commandLine(long pid) throws IOException {
    String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
    return Arrays.asList(raw.split("\0"));
  }

  /** Pids of the processes whose command line names {@code home}. */
  private static List<Long> processesOf(Path home) {
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        return String.join(" ", commandLine(p.pid())).contains(home.toString());
      } catch (IOException | RuntimeException gone) {
        return false;
      }
    }).map(ProcessHandle::pid).toList();
  }

  private String conf(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines)).toString();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A first port such that {@code count} client ports and their controller ports (+1000) are free. */
  private static int freePortRange(int count) {
    return LocalClusterSpec.freePort(count);
  }

}
