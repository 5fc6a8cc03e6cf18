package org.fink.distribution.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.KafkaIngest;
import org.fink.distribution.spark.LiveChain;
import org.fink.distribution.spark.ScienceDb;
import org.fink.kafka.admin.FinkKafkaAdmin;

/**
 * The live chain's latency for one survey visit: {@code N} synthetic ZTF alerts (10,000 by default) sent at once to
 * a survey topic, ingested from Kafka, distributed to one community topic (every alert passes) and read by a
 * consumer; latency = read time minus the survey message's Kafka timestamp. Spark runs {@code local[2]} in this JVM
 * (replayer and consumer too); the broker in a JVM of its own. A warm-up set goes through first. Prints
 * {@code RESULT <json>} and writes it to {@code --out}.
 *
 * <p>Arguments: {@code [--alerts N] [--warm-up N] [--trigger SECONDS] [--max-offsets N] [--out FILE]}
 * ({@code --max-offsets}: survey messages per ingest micro-batch at most, 0 = no limit).
 */
public final class LiveLatencyBench {
  private LiveLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int alerts = 10_000;
    int warm = 500;
    double trigger = 0.2;
    long maxOffsets = 2000;
    Path out = Path.of("bench/results/live.json");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--alerts" -> alerts = Integer.parseInt(args[i + 1]);
        case "--warm-up" -> warm = Integer.parseInt(args[i + 1]);
        case "--trigger" -> trigger = Double.parseDouble(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--max-offsets" -> maxOffsets = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("fink-live-bench");
    int port = BenchmarkSuite.freePort();
    Process broker = ChildJvm.start(List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC"), BenchBroker.class,
        List.of(String.valueOf(port), work.resolve("kafka").toString()), work.resolve("broker.log"));
    try {
      String servers = BenchmarkSuite.awaitBroker(work.resolve("broker.log"));
      String survey = "ztf_alerts";
      String community = "fink_live";
      try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
        admin.createTopic(survey, 4, (short) 1);
        admin.createTopic(community + "0", 4, (short) 1); // the one band of DistributionProbe.bands
      }
      SyntheticAlerts generator = SyntheticAlerts.ztf(SyntheticAlerts.DEFAULT_SEED);
      generator.writeContainerFiles(work.resolve("warm"), warm, 100);
      generator.writeContainerFiles(work.resolve("visit"), alerts, 500);
      List<SurveyReplayer.Message> warmUp = SurveyReplayer.read(work.resolve("warm"), Survey.ZTF);
      List<SurveyReplayer.Message> visit = SurveyReplayer.read(work.resolve("visit"), Survey.ZTF);

      SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-live");
      ScienceDb db = new ScienceDb(spark, work.resolve("science_db").toString(), "parquet");
      KafkaIngest ingest = KafkaIngest.builder().spark(spark).scienceDb(db).survey(Survey.ZTF, null)
          .servers(servers).topics(survey).checkpoint(work.resolve("ingest-cp").toString())
          .triggerSeconds(trigger).maxOffsetsPerTrigger(maxOffsets).build();
      double distTrigger = trigger;
      LiveChain chain = new LiveChain(ingest, () -> Distribution.builder().spark(spark).scienceDb(db)
          .rules(DistributionProbe.bands(community, 1)).servers(servers).schemaTopic(null)
          .checkpoint(work.resolve("dist-cp").toString()).triggerSeconds(distTrigger).build(),
          new SurveyReplayer(servers, new Properties()), survey, servers);
      long start = System.nanoTime();
      LiveChain.Result result = chain.run(warmUp, visit, ReplayPace.AS_FAST_AS_POSSIBLE, Duration.ofMinutes(20));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("machine", Machine.describe());
      json.put("alerts", result.replayed());
      json.put("published", result.published());
      json.put("measured", result.latency().alerts());
      json.put("p50Millis", result.latency().p50());
      json.put("p99Millis", result.latency().p99());
      json.put("maxMillis", result.latency().max());
      json.put("triggerSeconds", trigger);
      json.put("ingestMaxOffsetsPerTrigger", maxOffsets);
      json.put("ingestBatches", result.ingest().batches());
      json.put("distributionBatches", result.distribution().batches());
      json.put("distributionBatchMillis", result.distribution().batchMillis());
      json.put("wallSeconds", (System.nanoTime() - start) / 1e9);
      String line = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(json);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, line + "\n");
      System.out.println("RESULT " + line);
      spark.stop();
    } finally {
      broker.getOutputStream().close();
      broker.waitFor();
      BenchData.deleteRecursively(work); // ~2 GB: alerts, science database, broker log
    }
  }
}
