package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit jar on a real Spark standalone cluster on this machine: a Master and a Worker in JVMs of their own
 * (classes from spark-core, no Spark distribution); synthetic alerts ingested with {@code fink start ingest} from the
 * same jar ({@code SparkSubmit --master local[1]}); {@code fink start distribution --once} submitted with
 * {@code SparkSubmit} in client mode to the Master, its tasks run by an executor the Worker launches; the topic then
 * holds exactly the alerts that pass the filter. Master, Worker, drivers and executors see Spark's classpath only (no
 * Fink classes, no Kafka or Avro connector, no kafka-clients, JAXB or picocli): what else the jobs need must come from
 * {@code target/fink-spark-submit.jar}. Runs after {@code package} (failsafe: {@code mvn verify}).
 */
class SparkStandaloneClusterIT {
  private static final Duration WORKER_REGISTRATION = Duration.ofSeconds(90);
  private static final Duration SUBMIT = Duration.ofSeconds(180);
  /** Short-lived JVMs on a small machine: less JIT and GC work (about a third less CPU for this test). */
  private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final int ALERTS = 60;
  private static final float MAX_MAGPSF = 19f;
  private static final String RULES = """
      <?xml version="1.0" encoding="UTF-8"?>
      <distribution-rules>
        <select>
          <column name="objectId"/>
          <column name="candid"/>
          <column name="candidate"/>
        </select>
        <drop>
          <column name="candidate" subcol="programpi"/>
        </drop>
        <filter>
          <column name="candidate" subcol="magpsf" operator="&lt;" value="19"/>
          <column name="candidate" subcol="isdiffpos" operator="=" value="'t'"/>
        </filter>
      </distribution-rules>
      """;
  /**
   * Jars a Spark distribution lacks (the spark-submit jar carries them), our own, the local broker's and the test
   * framework's: none of them may be on the cluster's classpath.
   */
  private static final Pattern NOT_SPARK = Pattern.compile("^(fink-|spark-sql-kafka|spark-token-provider|kafka"
      + "|commons-pool2|spark-avro|jaxb|jakarta\\.xml\\.bind|jakarta\\.activation|angus-activation|txw2|istack"
      + "|picocli|junit|opentest4j|apiguardian|surefire).*");

  @TempDir Path work;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void distributionSubmittedToAStandaloneClusterPublishesExactlyTheFilteredAlerts() throws Exception {
    long start = System.nanoTime();
    Path thinJar = Path.of(System.getProperty("fink.sparkSubmitJar", "target/fink-spark-submit.jar"));
    assertTrue(Files.isRegularFile(thinJar), thinJar + " is missing: build it with mvn package (this test runs in"
        + " mvn verify, after package)");
    String sparkClasspath = sparkOnlyClasspath();
    Path sparkHome = Files.createDirectories(work.resolve("spark-home/jars")).getParent();
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_DIST_CLASSPATH", sparkClasspath);
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));

    Processes processes = new Processes();
    Thread cleanup = new Thread(processes::stopAll, "spark-cluster-it-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      int masterPort = freePort();
      String master = "spark://127.0.0.1:" + masterPort;
      processes.start("master", work, env, sparkJava(sparkClasspath, "-Xmx256m",
          "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
          "--webui-port", String.valueOf(freePort())));
      ManagedProcess worker = processes.start("worker", work, env, sparkJava(sparkClasspath, "-Xmx256m",
          "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
          "--webui-port", String.valueOf(freePort()),
          "--work-dir", Files.createDirectories(work.resolve("worker")).toString()));

      // While the cluster starts: Kafka, synthetic alerts, science DB (ingested with the same jar, in local mode)
      String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
      String topic = "cluster-it-" + UUID.randomUUID();
      try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
        admin.createTopic(topic, 2, 1);
      }
      log(start, "Kafka broker on " + servers);
      Path alertFiles = work.resolve("alerts");
      SyntheticAlerts.ztf(SyntheticAlerts.DEFAULT_SEED).writeContainerFiles(alertFiles, ALERTS, 10);
      Map<Long, GenericRecord> expected = alertsPassingTheFilter(alertFiles);
      assertFalse(expected.isEmpty(), "the filter should keep some synthetic alerts");
      assertTrue(expected.size() < ALERTS, "the filter should reject some synthetic alerts");
      log(start, ALERTS + " synthetic alerts written, " + expected.size() + " pass the filter");

      Path rules = Files.writeString(work.resolve("rules.xml"), RULES);
      Path schemaFile = work.resolve("schemas/distribution_schema.avsc");
      Path scienceDb = work.resolve("science_db");
      Path conf = Files.writeString(work.resolve("fink.conf.cluster"), String.join("\n",
          "DISTRIBUTION_SERVERS=" + servers,
          "DISTRIBUTION_TOPIC=" + topic,
          "DISTRIBUTION_SCHEMA=" + schemaFile,
          "DISTRIBUTION_RULES_XML=" + rules,
          "DISTRIBUTION_OFFSET=earliest",
          "DISTRIBUTION_FORMAT=avro-single-object",
          "SCIENCE_DB_PATH=" + scienceDb,
          "FINK_ALERT_CHECKPOINT_KAFKA=" + work.resolve("checkpoint"),
          "# ignored under spark-submit, whose --master wins",
          "SPARK_MASTER=local[1]", ""));
      ManagedProcess ingest = processes.start("ingest", work, env, sparkSubmit(sparkClasspath, "local[1]", thinJar,
          "start", "ingest", "--alerts", alertFiles.toString(), "--conf", conf.toString()));
      assertEquals(0, ingest.awaitExit(SUBMIT), "ingest failed:\n" + ingest.logTail(80));
      assertTrue(ingest.log().contains(ALERTS + " new alerts stored in"), ingest.logTail(40));
      log(start, "alerts ingested into " + scienceDb + " (spark-submit --master local[1])");

      worker.awaitLogLine("Successfully registered with master", WORKER_REGISTRATION);
      log(start, "worker registered with " + master);

      ManagedProcess driver = processes.start("distribution", work, env, sparkSubmit(sparkClasspath, master, thinJar,
          "start", "distribution", "--once", "--conf", conf.toString()));
      int exit = driver.awaitExit(SUBMIT);
      log(start, "spark-submit exited with " + exit);
      assertEquals(0, exit, "spark-submit failed:\n" + driver.logTail(80));
      assertTrue(driver.log().contains("Connected to Spark cluster with app ID"),
          "the driver should have joined " + master + ":\n" + driver.logTail(80));
      assertExecutorRan(work.resolve("worker"));

      assertTopicHoldsExactly(servers, topic, SchemaFiles.read(schemaFile), expected);
      log(start, "topic checked: " + expected.size() + " alerts");

      assertDemoRefusedWithoutTheBroker(sparkClasspath, thinJar);
      log(start, "done");
    } finally {
      processes.stopAll();
      keepLogs();
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /** Copies the logs of Master, Worker, driver and executors to {@code fink.itLogs} (target/spark-cluster-it). */
  private void keepLogs() {
    String target = System.getProperty("fink.itLogs");
    if (target == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(work)) {
      Path dir = Files.createDirectories(Path.of(target));
      for (Path file : files.filter(f -> f.toString().endsWith(".log") || f.getFileName().toString().equals("stderr"))
          .toList()) {
        Files.copy(file, dir.resolve(work.relativize(file).toString().replace(File.separatorChar, '_')),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("could not keep the cluster logs: " + e);
    }
  }

  /** The alerts of the container files that pass the rules' filter: magpsf < 19 and isdiffpos = 't'. */
  private static Map<Long, GenericRecord> alertsPassingTheFilter(Path folder) throws IOException {
    Map<Long, GenericRecord> passing = new HashMap<>();
    int all = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<GenericRecord> reader =
                 new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
          for (GenericRecord alert : reader) {
            all++;
            GenericRecord c = (GenericRecord) alert.get("candidate");
            if ((Float) c.get("magpsf") < MAX_MAGPSF && "t".equals(String.valueOf(c.get("isdiffpos")))) {
              passing.put((Long) alert.get("candid"), alert);
            }
          }
        }
      }
    }
    assertEquals(ALERTS, all, "alerts written");
    return passing;
  }

  /** The Worker launched an executor for the application (its folder app-.../N/ under the work dir). */
  private static void assertExecutorRan(Path workerDir) throws IOException {
    try (Stream<Path> apps = Files.list(workerDir)) {
      List<Path> found = apps.filter(p -> p.getFileName().toString().startsWith("app-")).toList();
      assertEquals(1, found.size(), "one application run by the worker: " + found);
      try (Stream<Path> executors = Files.list(found.get(0))) {
        assertTrue(executors.anyMatch(Files::isDirectory), "an executor folder under " + found.get(0));
      }
    }
  }

  private static void assertTopicHoldsExactly(String servers, String topic, Schema schema,
      Map<Long, GenericRecord> expected) {
    AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema);
    assertEquals(List.of("objectId", "candid", "candidate"),
        schema.getFields().stream().map(Schema.Field::name).toList(), "the written schema's fields");
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> messages = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long total = consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
          .mapToLong(Long::longValue).sum();
      assertEquals(expected.size(), total, "messages in " + topic);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (messages.size() < total && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(messages::add);
      }
    }
    assertEquals(expected.size(), messages.size(), "messages read from " + topic);
    Set<Long> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> message : messages) {
      GenericRecord out = codec.decode(message.value());
      long candid = (Long) out.get("candid");
      assertTrue(seen.add(candid), "alert " + candid + " published twice");
      GenericRecord in = expected.get(candid);
      assertNotNull(in, "alert " + candid + " does not pass the filter but was published");
      assertEquals(in.get("objectId").toString(), new String(message.key(), StandardCharsets.UTF_8), "key");
      assertEquals(in.get("objectId").toString(), out.get("objectId").toString());
      GenericRecord inCandidate = (GenericRecord) in.get("candidate");
      GenericRecord outCandidate = (GenericRecord) out.get("candidate");
      assertEquals(inCandidate.get("magpsf"), outCandidate.get("magpsf"));
      assertEquals(inCandidate.get("jd"), outCandidate.get("jd"));
      assertNull(outCandidate.getSchema().getField("programpi"), "dropped field candidate.programpi");
    }
    assertEquals(expected.keySet(), seen);
  }

  /** {@code fink demo} from the spark-submit jar (no broker classes) fails with a message, not NoClassDefFoundError. */
  private void assertDemoRefusedWithoutTheBroker(String sparkClasspath, Path thinJar) throws Exception {
    Processes demo = new Processes();
    try {
      ManagedProcess run = demo.start("demo", work, Map.of("FINK_HOME", work.toString()), javaCommand(
          List.of("-Xmx256m", "-cp", sparkClasspath + File.pathSeparator + thinJar.toAbsolutePath(),
              FinkCommand.class.getName(), "demo")));
      int exit = run.awaitExit(Duration.ofSeconds(60));
      assertEquals(1, exit, run.logTail(40));
      assertTrue(run.log().contains("fink: fink demo starts a local Kafka broker"), run.logTail(40));
      assertFalse(run.log().contains("NoClassDefFoundError"), run.logTail(40));
    } finally {
      demo.stopAll();
    }
  }

  /**
   * The test classpath without our classes, the connectors and the other jars a Spark distribution does not ship
   * ({@link #NOT_SPARK}): what a stock Spark installation offers. Under surefire/failsafe {@code java.class.path} may
   * be a manifest-only booter jar: the real classpath is {@code surefire.test.class.path}, or that jar's Class-Path.
   */
  static String sparkOnlyClasspath() throws IOException {
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    List<Path> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry);
      if (path.getFileName().toString().startsWith("surefirebooter")) {
        entries.addAll(manifestClassPath(path));
      } else {
        entries.add(path);
      }
    }
    List<Path> spark = entries.stream()
        .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
        .filter(p -> !NOT_SPARK.matcher(p.getFileName().toString()).matches())
        .distinct().toList();
    assertTrue(spark.stream().anyMatch(p -> p.getFileName().toString().startsWith("spark-core_")),
        "spark-core on the test classpath: " + classpath);
    assertTrue(spark.stream().noneMatch(p -> p.getFileName().toString().contains("kafka")), spark.toString());
    return spark.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static List<Path> manifestClassPath(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String value = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (value == null) {
        return List.of();
      }
      return Arrays.stream(value.trim().split("\\s+"))
          .map(u -> Path.of(URI.create(u.startsWith("file:") ? u : jar.getParent().toUri().resolve(u).toString())))
          .toList();
    }
  }

  /** {@code SparkSubmit} (what the spark-submit script runs) of the thin jar, in client mode. */
  private static List<String> sparkSubmit(String classpath, String master, Path thinJar, String... args) {
    List<String> submit = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
        "--name", "fink-cluster-it",
        "--conf", "spark.executor.memory=512m", "--conf", "spark.cores.max=1",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", QUICK_JVM),
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--class", FinkCommand.class.getName(), thinJar.toAbsolutePath().toString()));
    submit.addAll(List.of(args));
    return sparkJava(classpath, "-Xmx768m", "org.apache.spark.deploy.SparkSubmit", submit.toArray(String[]::new));
  }

  /** {@code java} with the JVM flags Spark needs on Java 17 (those of this JVM), a classpath, a main class. */
  private static List<String> sparkJava(String classpath, String heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(heap);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(List.of(args));
    return javaCommand(command);
  }

  private static List<String> javaCommand(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(QUICK_JVM);
    // Spark's flags on Java 17: conf/jvm.options, the one list (failsafe sets fink.home to the repository root)
    command.add("@" + Path.of(System.getProperty("fink.home"), "conf", "jvm.options").toAbsolutePath());
    command.addAll(args);
    return command;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void log(long start, String what) {
    System.out.printf("[cluster-it %5.1f s] %s%n", (System.nanoTime() - start) / 1e9, what);
  }

  /** Processes started by the test, stopped (with the processes they started) however the test ends. */
  static final class Processes {
    private final List<ManagedProcess> started = new ArrayList<>();

    synchronized ManagedProcess start(String name, Path dir, Map<String, String> env, List<String> command)
        throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      Path logFile = dir.resolve(name + ".log");
      builder.redirectOutput(logFile.toFile());
      builder.environment().keySet().removeIf(k -> ConfigKey.named(k).isPresent() || k.startsWith("SPARK_"));
      builder.environment().putAll(env);
      ManagedProcess process = new ManagedProcess(name, builder.start(), logFile);
      started.add(process);
      return process;
    }

    /** Stops the processes, last started first. */
    synchronized void stopAll() {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).stop();
      }
      started.clear();
    }
  }

  /** A child JVM whose output goes to a log file. */
  record ManagedProcess(String name, Process process, Path logFile) {
    String log() {
      try {
        return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String logTail(int lines) {
      List<String> all = log().lines().toList();
      return name + " log (" + logFile + "), last lines:\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    void awaitLogLine(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (log().contains(text)) {
          return;
        }
        if (!process.isAlive()) {
          fail(name + " exited with " + process.exitValue() + " before logging '" + text + "'\n" + logTail(60));
        }
        Thread.sleep(200);
      }
      fail(name + " did not log '" + text + "' within " + timeout + "\n" + logTail(60));
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        String tail = logTail(60);
        stop();
        fail(name + " still running after " + timeout + ", killed\n" + tail);
      }
      return process.exitValue();
    }

    /** SIGTERM (Spark's Master and Worker stop their executors on it), then SIGKILL; the same for descendants. */
    void stop() {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      for (ProcessHandle child : descendants) {
        if (child.isAlive()) {
          child.destroyForcibly();
        }
      }
    }
  }
}
