package org.fink.distribution.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.fink.kafka.admin.LocalClusterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user installs it: unpacked into a fresh temporary folder outside the checkout, its
 * {@code bin/fink} and {@code bin/fink_kafka} run with only a JDK on the PATH (no Maven, no {@code ~/.m2}: HOME is an
 * empty folder, no source tree), and nothing they print or ship points back into the source tree.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionArchiveIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(8);

  @TempDir
  static Path workDir;
  static Path home;
  static String sourceRoot;
  static int kafkaPort;

  @BeforeAll
  static void unpack() throws Exception {
    String archive = System.getProperty("fink.archive");
    assumeTrue(archive != null && Files.isRegularFile(Path.of(archive)),
        "no release archive (fink.archive=" + archive + "): run through mvn verify, which builds it first");
    Path archivePath = Path.of(archive);
    sourceRoot = Path.of(System.getProperty("fink.source.root", ".")).toRealPath().toString();
    assumeTrue(run(List.of("tar", "--version"), workDir, Duration.ofSeconds(30)).exit() == 0,
        "no tar command to unpack the archive with");
    Path install = Files.createDirectories(workDir.resolve("install"));
    Result unpacked = run(List.of("tar", "-xzf", archivePath.toString(), "-C", install.toString()), install,
        Duration.ofMinutes(2));
    assertEquals(0, unpacked.exit(), unpacked.output());
    home = install.resolve("fink-distribution-" + System.getProperty("fink.version"));
    assertTrue(Files.isDirectory(home), "the archive unpacks into one folder fink-distribution-VERSION");
    Files.createDirectories(workDir.resolve("user-home"));
    kafkaPort = LocalClusterSpec.freePort(1);
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (home != null) {
      run(List.of("bin/fink_kafka", "stop"), home, COMMAND_TIMEOUT);
    }
  }

  @Test
  @Order(1)
  void archiveHoldsTheLayoutAndEveryJarOfTheLaunchersClassPath() throws IOException {
    for (String entry : List.of("bin/fink", "bin/fink_kafka", "conf/fink.conf", "conf/fink.conf.distribution",
        "conf/distribution-rules.xml", "conf/distribution-rules.xsd", "conf/jvm.options", "schemas/README.md",
        "docs/README.md", "docs/configuration.md", "docs/commands.md", "docs/rules.md", "bench/README.md",
        "examples/notebooks/rules.jsh",
        "README.md", "LICENSE", "NOTICE", "lib/fink-launcher.jar", "lib/spark-submit/fink-spark-submit.jar")) {
      assertTrue(Files.exists(home.resolve(entry)), "the archive lacks " + entry);
    }
    assertTrue(Files.isExecutable(home.resolve("bin/fink")) && Files.isExecutable(home.resolve("bin/fink_kafka")));
    try (JarFile launcher = new JarFile(home.resolve("lib/fink-launcher.jar").toFile())) {
      String classPath = launcher.getManifest().getMainAttributes().getValue("Class-Path");
      List<String> missing = new ArrayList<>();
      for (String jar : classPath.trim().split("\\s+")) {
        if (!Files.isRegularFile(home.resolve("lib").resolve(jar))) {
          missing.add(jar);
        }
      }
      assertTrue(missing.isEmpty(), "lib/ lacks jars of the launcher's Class-Path: " + missing);
      assertTrue(classPath.contains("fink-distribution-cli-"), classPath);
    }
    List<String> pointingBack = new ArrayList<>();
    for (String folder : List.of("bin", "conf", "docs")) {
      try (Stream<Path> files = Files.walk(home.resolve(folder))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          if (Files.readString(file, StandardCharsets.ISO_8859_1).contains(sourceRoot)) {
            pointingBack.add(home.relativize(file).toString());
          }
        }
      }
    }
    assertTrue(pointingBack.isEmpty(), "files naming the source tree " + sourceRoot + ": " + pointingBack);
  }

  @Test
  @Order(2)
  void versionNamesTheReleaseAndTheLibrariesInside() throws Exception {
    Result version = fink(List.of("bin/fink", "--version"), COMMAND_TIMEOUT);
    assertEquals(0, version.exit(), version.output());
    assertTrue(version.output().startsWith("fink-distribution " + System.getProperty("fink.version")),
        version.output());
    assertTrue(version.output().contains("Spark 4.") && version.output().contains("Kafka clients ")
        && version.output().contains("Avro 1."), version.output());
  }

  @Test
  @Order(2)
  void rulesCheckRunsFromTheArchive() throws Exception {
    Result check = fink(List.of("bin/fink", "rules", "check", "conf/distribution-rules.xml"), COMMAND_TIMEOUT);
    assertEquals(0, check.exit(), check.output());
    assertTrue(check.output().contains("stream default -> topic fink_outstream"), check.output());
  }

  @Test
  @Order(3)
  void finkKafkaStartsCreatesATopicAndStopsWithNothingLeftRunning() throws Exception {
    Result start = fink(List.of("bin/fink_kafka", "start"), COMMAND_TIMEOUT);
    assertEquals(0, start.exit(), start.output());
    assertTrue(start.output().contains("127.0.0.1:" + kafkaPort), start.output());
    assertTrue(start.output().contains(home.resolve("run/kafka").toString()),
        "the local cluster's data is under the install folder: " + start.output());
    Result status = fink(List.of("bin/fink_kafka", "status"), COMMAND_TIMEOUT);
    assertTrue(status.output().contains("answering"), status.output());
    Result topic = fink(List.of("bin/fink_kafka", "--create-topic", "fink_outstream", "--partitions", "2"),
        COMMAND_TIMEOUT);
    assertEquals(0, topic.exit(), topic.output());
    Result stop = fink(List.of("bin/fink_kafka", "stop"), COMMAND_TIMEOUT);
    assertEquals(0, stop.exit(), stop.output());
    Result after = fink(List.of("bin/fink_kafka", "status"), COMMAND_TIMEOUT);
    assertTrue(after.output().contains("no local Kafka cluster running"), after.output());
  }

  @Test
  @Order(4)
  void notebookHasTheLibrariesOfLibOnItsClassPath() throws Exception {
    Path script = Files.writeString(workDir.resolve("check.jsh"), String.join("\n",
        "System.out.println(\"streams: \" + RulesXml.read(Path.of(\"conf/distribution-rules.xml\")).streams().size());",
        "/exit", ""));
    Result notebook = fink(List.of("bin/fink", "notebook", "examples/notebooks/imports.jsh", script.toString()),
        COMMAND_TIMEOUT);
    assertEquals(0, notebook.exit(), notebook.output());
    assertTrue(notebook.output().contains("streams: 1"), notebook.output());
  }

  @Test
  @Order(5)
  void demoRunsTheWholeChainFromTheArchive() throws Exception {
    Result demo = fink(List.of("bin/fink", "demo", "--alerts", "50"), DEMO_TIMEOUT);
    assertEquals(0, demo.exit(), demo.output());
    assertTrue(demo.output().contains("[demo] demo done: "), demo.output());
    assertFalse(demo.output().contains(sourceRoot), "the demo names the source tree: " + demo.output());
  }

  private static Result fink(List<String> command, Duration timeout) throws Exception {
    return run(command, home, timeout);
  }

  /**
   * Runs a command with a bare environment: the JDK of this test first on the PATH, then the system's folders; HOME
   * an empty folder; no Maven, no FINK_HOME, no CLASSPATH.
   */
  private static Result run(List<String> command, Path dir, Duration timeout) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    String javaHome = System.getProperty("java.home");
    env.putAll(new TreeMap<>(Map.of(
        "PATH", javaHome + "/bin:/usr/bin:/bin",
        "JAVA_HOME", javaHome,
        "HOME", workDir.resolve("user-home").toString(),
        "SPARK_LOCAL_IP", "127.0.0.1",
        "KAFKA_LOCAL_PORT", String.valueOf(kafkaPort == 0 ? 9092 : kafkaPort))));
    Path output = Files.createTempFile(workDir, "command", ".out");
    builder.redirectOutput(output.toFile());
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
          + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output));
  }

  private record Result(int exit, String output) {
  }
}
