package org.fink.kafka.admin;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the brokers of a {@link LocalKafkaCluster} with an Apache Kafka installation ({@code KAFKA_HOME}, Kafka 3.3 or
 * later in KRaft mode) instead of the bundled broker, the way an operator would by hand:
 * <ol>
 *   <li>a new cluster gets its id from {@code bin/kafka-storage.sh random-uuid};</li>
 *   <li>each broker gets a generated {@code server.properties} ({@code dataDir/config/broker-N.properties}: the
 *       bundled broker's settings: ports, static controller quorum, replication, data in {@code dataDir/broker-N});</li>
 *   <li>its storage is formatted once with {@code bin/kafka-storage.sh format -t ID -c FILE};</li>
 *   <li>it runs as {@code bin/kafka-server-start.sh FILE} in a session of its own (the script execs java, so the
 *       recorded pid is the broker's JVM, which {@code stop} ends with SIGTERM as {@code kafka-server-stop.sh} does),
 *       its console in {@code dataDir/logs/broker-N.log}, Kafka's own log files in {@code dataDir/logs/broker-N/}
 *       ({@code LOG_DIR}).</li>
 * </ol>
 * The environment passes through ({@code JAVA_HOME}, {@code KAFKA_OPTS}, {@code KAFKA_HEAP_OPTS}...), except
 * {@code CLASSPATH}; without {@code KAFKA_HEAP_OPTS} a broker gets a 512 MiB heap; without {@code JAVA_HOME}, this
 * JVM's Java. Security mode is not offered: formatting SCRAM credentials with {@code kafka-storage.sh} would put the super
 * user's password on a command line that other users of the machine can read.
 */
final class KafkaHomeLauncher implements BrokerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaHomeLauncher.class);
  static final String STORAGE_SCRIPT = "bin/kafka-storage.sh";
  static final String START_SCRIPT = "bin/kafka-server-start.sh";
  static final String DEFAULT_HEAP = "-Xmx512m";
  /** {@code libs/kafka_2.13-4.3.1.jar}: Scala version, Kafka version. */
  private static final Pattern KAFKA_JAR = Pattern.compile("kafka_(\\d+\\.\\d+)-(\\d+)\\.(\\d+)\\.(\\d+)([^-]*)\\.jar");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

  private final Path home;

  KafkaHomeLauncher(Path home) {
    this.home = home.toAbsolutePath().normalize();
  }

  Path home() {
    return home;
  }

  /** The Kafka version of the installation, from its {@code libs/kafka_SCALA-VERSION.jar}. */
  Optional<String> version() {
    return kafkaJar().map(m -> m.group(2) + "." + m.group(3) + "." + m.group(4) + m.group(5));
  }

  private Optional<Matcher> kafkaJar() {
    Path libs = home.resolve("libs");
    if (!Files.isDirectory(libs)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(libs, "kafka_*.jar")) {
      for (Path jar : jars) {
        Matcher matcher = KAFKA_JAR.matcher(jar.getFileName().toString());
        if (matcher.matches()) {
          return Optional.of(matcher);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "Apache Kafka " + version().orElse("(version unknown)") + " from KAFKA_HOME=" + home;
  }

  @Override
  public boolean supportsSecurity() {
    return false;
  }

  /** Throws a {@link KafkaAdminException} saying what is wrong unless {@link #home} is a Kafka 3.3+ installation. */
  void check() {
    if (!Files.isDirectory(home)) {
      throw new KafkaAdminException("KAFKA_HOME=" + home + " is not a folder: set it to an Apache Kafka installation"
          + " (the folder holding bin/ and libs/), or leave it empty to use the bundled broker");
    }
    for (String script : List.of(STORAGE_SCRIPT, START_SCRIPT)) {
      if (!Files.isExecutable(home.resolve(script))) {
        throw new KafkaAdminException("KAFKA_HOME=" + home + " is not an Apache Kafka installation: " + script
            + " is missing or not executable; set KAFKA_HOME to the folder holding bin/ and libs/, or leave it"
            + " empty to use the bundled broker");
      }
    }
    Optional<Matcher> jar = kafkaJar();
    if (jar.isPresent()) {
      int major = Integer.parseInt(jar.get().group(2));
      int minor = Integer.parseInt(jar.get().group(3));
      if (major < 3 || (major == 3 && minor < 3)) {
        throw new KafkaAdminException("KAFKA_HOME=" + home + " holds Kafka " + version().orElseThrow()
            + "; the local cluster runs Kafka 3.3 or later (KRaft mode): point KAFKA_HOME at a newer installation, or"
            + " leave it empty to use the bundled broker");
      }
    }
  }

  /** {@code kafka-storage.sh random-uuid}. */
  @Override
  public String newClusterId(LocalClusterSpec spec) {
    check();
    String output = runTool(List.of(home.resolve(STORAGE_SCRIPT).toString(), "random-uuid"), null,
        spec.dataDir().resolve("logs"));
    List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String id = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (!id.matches("[A-Za-z0-9_-]{22}")) {
      throw new KafkaAdminException(STORAGE_SCRIPT + " random-uuid of KAFKA_HOME=" + home + " printed no cluster id: "
          + output.strip());
    }
    return id;
  }

  @Override
  public Process launch(LocalClusterSpec spec, int nodeId, String clusterId) {
    check();
    Path log = spec.logFile(nodeId);
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(spec.brokerDir(nodeId));
      Path config = writeServerProperties(spec, nodeId, clusterId);
      if (!new KraftStorage(spec.brokerDir(nodeId)).isFormatted()) {
        appendToLog(log, "---- formatting the storage of broker " + nodeId + " with " + STORAGE_SCRIPT + "\n");
        runTool(List.of(home.resolve(STORAGE_SCRIPT).toString(), "format", "-t", clusterId, "-c", config.toString()),
            log, log.getParent());
      }
      List<String> command = new ArrayList<>();
      BrokerProcessLauncher.setsid().ifPresent(command::add);
      command.add(home.resolve(START_SCRIPT).toString());
      command.add(config.toString());
      appendToLog(log, BrokerProcessLauncher.START_LINE + nodeId + ": " + String.join(" ", command) + "\n");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(spec.dataDir().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectErrorStream(true);
      environment(builder.environment(), spec.dataDir().resolve("logs").resolve("broker-" + nodeId));
      builder.environment().put("KAFKA_HEAP_OPTS", heap(builder.environment()) + " "
          + BrokerProcessLauncher.PROCESS_MARKER + nodeId);
      Process process = builder.start();
      LOG.debug("started Kafka broker {} from {} as pid {} (log {})", nodeId, home, process.pid(), log);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka broker " + nodeId + " with " + home.resolve(START_SCRIPT)
          + ": " + e.getMessage(), e);
    }
  }

  /** The broker's {@code server.properties}: the bundled broker's settings, written for the scripts to read. */
  private Path writeServerProperties(LocalClusterSpec spec, int nodeId, String clusterId) throws IOException {
    EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder()
        .nodeId(nodeId)
        .port(spec.clientPort(nodeId))
        .controllerPort(spec.controllerPort(nodeId))
        .dataDir(spec.brokerDir(nodeId))
        .clusterId(clusterId)
        .quorumVoters(spec.quorumVoters());
    LocalBrokerMain.withReplication(builder, Integer.toString(spec.replicationFactor()),
        Integer.toString(spec.minInsyncReplicas()));
    Properties props = builder.build().brokerProperties();
    Path file = spec.dataDir().resolve("config").resolve("broker-" + nodeId + ".properties");
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder("# broker " + nodeId + " of the local Kafka cluster in " + spec.dataDir()
        + ", written at the cluster's start for " + home.resolve(START_SCRIPT) + " (rewritten at each start)\n");
    new TreeMap<>(props).forEach((k, v) -> text.append(k).append('=').append(escape(v.toString())).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /**
   * Runs one of the installation's tools and waits for it; returns its output, also appended to {@code log} if given.
   * {@code logDir} is its {@code LOG_DIR} (never the installation's own folder, which may be read-only).
   */
  private String runTool(List<String> command, Path log, Path logDir) {
    String name = home.relativize(Path.of(command.get(0))) + " " + command.get(1);
    try {
      Path output = Files.createTempFile("fink-kafka-tool-", ".out");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(output.toFile()).redirectErrorStream(true);
        Files.createDirectories(logDir);
        environment(builder.environment(), logDir);
        Process process = builder.start();
        if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new KafkaAdminException(name + " of KAFKA_HOME=" + home + " did not finish within "
              + TOOL_TIMEOUT.toSeconds() + " s");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (log != null) {
          appendToLog(log, text);
        }
        if (process.exitValue() != 0) {
          throw new KafkaAdminException(name + " of KAFKA_HOME=" + home + " exited with status "
              + process.exitValue() + ":\n" + lastLines(text, 20));
        }
        return text;
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAdminException("interrupted while running " + name);
    }
  }

  /**
   * The environment of the scripts: the caller's, without {@code CLASSPATH} (the scripts build theirs from
   * {@code libs/}), with this JVM's Java unless {@code JAVA_HOME} is set, and {@code LOG_DIR} when given.
   */
  private static void environment(Map<String, String> env, Path logDir) {
    env.remove("CLASSPATH");
    String javaHome = env.get("JAVA_HOME");
    if (javaHome == null || javaHome.isBlank()) {
      env.put("JAVA_HOME", System.getProperty("java.home"));
    }
    if (logDir != null) {
      env.put("LOG_DIR", logDir.toString());
    }
  }

  private static String heap(Map<String, String> env) {
    String heap = env.get("KAFKA_HEAP_OPTS");
    return heap == null || heap.isBlank() ? DEFAULT_HEAP : heap.strip();
  }

  private static void appendToLog(Path log, String text) throws IOException {
    Files.createDirectories(log.getParent());
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String lastLines(String text, int count) {
    List<String> lines = text.strip().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }
}
