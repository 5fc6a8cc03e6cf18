package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.KafkaIngest;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.SurveyIngest;

/**
 * One ingest in a fresh JVM, as the service runs it, after a warm-up ingest of other alerts into another science
 * database: prints {@code RESULT <json>} with the alerts stored, the time from the start of the measured ingest until
 * every alert is stored (JVM and Spark start excluded), its CPU-seconds and the broker's.
 *
 * <p>Arguments: {@code file <alert-folder> <warm-up-folder> <work>} (file ingest, {@link SurveyIngest}) or
 * {@code kafka <topic> <warm-up-topic> <work> <servers>} (Kafka ingest, {@link KafkaIngest#runAvailable()}, at most
 * {@code -Dfink.bench.maxOffsets} messages per micro-batch, default the service's 2000); with
 * {@code -Dfink.bench.broker.pid} it also reports the broker's CPU time.
 */
public final class IngestProbe {
  private IngestProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String source = args[1];
    String warmSource = args[2];
    Path work = Path.of(args[3]);
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-ingest");
    ScienceDb warmDb = new ScienceDb(spark, work.resolve("warm-db").toString(), "parquet");
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    long broker = Long.getLong("fink.bench.broker.pid", -1);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("mode", mode);
    long stored;
    long start;
    long cpuBefore;
    long brokerBefore;
    if (mode.equals("file")) {
      new SurveyIngest(spark).ingest(Path.of(warmSource), warmDb);
      cpuBefore = CpuTime.selfMillis();
      brokerBefore = CpuTime.ofMillis(broker);
      start = System.nanoTime();
      stored = new SurveyIngest(spark).ingestReport(Path.of(source), db).alertsStored();
    } else if (mode.equals("kafka")) {
      String servers = args[4];
      kafka(spark, warmDb, servers, warmSource, work.resolve("warm-cp")).runAvailable();
      cpuBefore = CpuTime.selfMillis();
      brokerBefore = CpuTime.ofMillis(broker);
      start = System.nanoTime();
      KafkaIngest.Progress progress = kafka(spark, db, servers, source, work.resolve("cp")).runAvailable();
      stored = progress.alerts();
      result.put("batches", progress.batches());
    } else {
      throw new IllegalArgumentException("mode file or kafka, not " + mode);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpu = CpuTime.selfMillis() - cpuBefore;
    long brokerCpu = brokerBefore < 0 ? -1 : CpuTime.ofMillis(broker) - brokerBefore;
    result.put("alerts", stored);
    result.put("storedRows", db.read().count()); // every alert stored once: the measurement counts only then
    result.put("millis", millis);
    result.put("alertsPerSecond", stored * 1000.0 / Math.max(1, millis));
    result.put("cpuMillis", cpu);
    result.put("brokerCpuMillis", brokerCpu);
    result.put("peakRssBytes", Rss.peakBytes());
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    spark.stop();
  }

  private static KafkaIngest kafka(SparkSession spark, ScienceDb db, String servers, String topic, Path checkpoint) {
    return KafkaIngest.builder().spark(spark).scienceDb(db).survey(Survey.ZTF, null).servers(servers).topics(topic)
        .checkpoint(checkpoint.toString()).maxOffsetsPerTrigger(Long.getLong("fink.bench.maxOffsets", 2000))
        .build();
  }
}
