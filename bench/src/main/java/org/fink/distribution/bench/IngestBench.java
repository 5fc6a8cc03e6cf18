package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.Survey;
import org.fink.kafka.admin.FinkKafkaAdmin;

/**
 * File ingest and Kafka ingest of the suite's synthetic ZTF alerts, each in a fresh JVM ({@link IngestProbe}) with the
 * service's JVM options, after a warm-up ingest: alerts/s and CPU-seconds. For Kafka the survey topic is filled by
 * {@link SurveyReplayer} first (one message per alert, as ZTF sends them), so the figure is the ingest alone.
 * {@link BenchmarkSuite} measures it once per run; alone, {@code bench/ingest} (~1-2 minutes):
 *
 * <pre>
 * bench/ingest                                # 10000 alerts, 2000 warm-up: file and Kafka ingest
 * bench/ingest --alerts 5000 --mode kafka     # one of them
 * FINK_BENCH_PROBE_JVM_OPTS='-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile' bench/ingest
 * </pre>
 */
public final class IngestBench {
  private static final int ALERTS_PER_FILE = 500;

  private final Path work;
  private final String servers;
  private final long brokerPid;
  private final int partitions;

  IngestBench(Path work, String servers, long brokerPid, int partitions) {
    this.work = work;
    this.servers = servers;
    this.brokerPid = brokerPid;
    this.partitions = partitions;
  }

  /** Writes {@code alerts} synthetic alerts as container files (500 each) into a new folder. */
  static Path alertFiles(SyntheticAlerts generator, Path folder, int alerts) throws IOException {
    generator.writeContainerFiles(folder, alerts, ALERTS_PER_FILE);
    return folder;
  }

  /** File ingest of {@code files}, after a warm-up ingest of {@code warmFiles}. */
  Map<String, Object> file(Path files, Path warmFiles) throws Exception {
    Path dir = Files.createDirectories(work.resolve("ingest-file"));
    try {
      return probe(List.of("file", files.toString(), warmFiles.toString(), dir.toString()), "ingest-file.log");
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }

  /** Kafka ingest of {@code files} replayed to a survey topic, after a warm-up ingest of {@code warmFiles}'. */
  Map<String, Object> kafka(Path files, Path warmFiles) throws Exception {
    Path dir = Files.createDirectories(work.resolve("ingest-kafka"));
    String topic = "survey-" + System.nanoTime();
    String warmTopic = "warm-" + topic;
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, partitions, 1);
      admin.createTopic(warmTopic, partitions, 1);
      replay(warmFiles, warmTopic);
      replay(files, topic);
      try {
        return probe(List.of("kafka", topic, warmTopic, dir.toString(), servers), "ingest-kafka.log");
      } finally {
        admin.deleteTopic(topic);
        admin.deleteTopic(warmTopic);
        BenchData.deleteRecursively(dir);
      }
    }
  }

  /** One file at a time: the heap holds 500 alerts, not the whole set. */
  private void replay(Path folder, String topic) throws Exception {
    SurveyReplayer replayer = new SurveyReplayer(servers, new Properties());
    try (Stream<Path> walk = Files.list(folder)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".avro")).sorted().toList()) {
        replayer.replay(SurveyReplayer.read(file, Survey.ZTF), topic, ReplayPace.AS_FAST_AS_POSSIBLE);
      }
    }
  }

  private Map<String, Object> probe(List<String> args, String log) throws Exception {
    List<String> jvm = new ArrayList<>(ChildJvm.SERVICE);
    jvm.add("-Dfink.bench.broker.pid=" + brokerPid);
    String extra = System.getenv("FINK_BENCH_PROBE_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.strip().split("\\s+")));
    }
    String output = ChildJvm.run(jvm, IngestProbe.class, args, work.resolve(log), Duration.ofMinutes(20));
    @SuppressWarnings("unchecked")
    Map<String, Object> result = new ObjectMapper().readValue(ChildJvm.resultLine(output, "RESULT "),
        LinkedHashMap.class);
    return result;
  }

  /** {@code bench/ingest [--alerts N] [--warm-up N] [--mode file|kafka|both] [--partitions P]}. */
  public static void main(String[] args) throws Exception {
    int alerts = 10_000;
    int warm = 2000;
    int partitions = 4;
    String mode = "both";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--alerts" -> alerts = Integer.parseInt(args[i + 1]);
        case "--warm-up" -> warm = Integer.parseInt(args[i + 1]);
        case "--mode" -> mode = args[i + 1];
        case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("fink-ingest-bench");
    Process broker = null;
    try {
      SyntheticAlerts generator = SyntheticAlerts.ztf(20261128L);
      Path warmFiles = alertFiles(generator, work.resolve("warm-alerts"), warm);
      Path files = alertFiles(generator, work.resolve("alerts"), alerts);
      System.out.printf("[ingest] %d alerts (%d bytes each on average), %d warm-up; load average %s%n", alerts,
          BenchData.folderBytes(files) / alerts, warm, Files.readString(Path.of("/proc/loadavg")).strip());
      Map<String, Object> results = new LinkedHashMap<>();
      if (!mode.equals("kafka")) {
        results.put("fileIngest", new IngestBench(work, null, -1, partitions).file(files, warmFiles));
        System.out.println("[ingest] file: " + results.get("fileIngest"));
      }
      if (!mode.equals("file")) {
        broker = ChildJvm.start(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"), BenchBroker.class,
            List.of(String.valueOf(BenchmarkSuite.freePort()), work.resolve("kafka").toString()),
            work.resolve("broker.log"));
        String servers = BenchmarkSuite.awaitBroker(work.resolve("broker.log"));
        results.put("kafkaIngest", new IngestBench(work, servers, broker.pid(), partitions).kafka(files, warmFiles));
        System.out.println("[ingest] kafka: " + results.get("kafkaIngest"));
      }
      System.out.println("[ingest] load average after: " + Files.readString(Path.of("/proc/loadavg")).strip());
      System.out.println("RESULT " + new ObjectMapper().writeValueAsString(results));
    } finally {
      if (broker != null) {
        broker.getOutputStream().close();
        broker.waitFor();
      }
      BenchData.deleteRecursively(work);
    }
  }
}
