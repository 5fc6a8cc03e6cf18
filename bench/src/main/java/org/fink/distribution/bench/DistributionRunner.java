package org.fink.distribution.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.config.DeliveryGuarantee;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.DistributionProgress;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.ScienceDb;

/**
 * {@code distribution --once} of every alert to one topic, in micro-batches of a few science-database files, as a
 * process that the fault-injection runs can kill. Prints {@code RESULT <json>}.
 *
 * <p>Arguments: science-db checkpoint servers topic files-per-batch [at-least-once | exactly-once].
 */
public final class DistributionRunner {
  private DistributionRunner() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "fink-bench-faults");
    Distribution.Builder builder = Distribution.builder().spark(spark)
        .scienceDb(new ScienceDb(spark, args[0], "parquet")).rules(DistributionProbe.bands(args[3], 1))
        .servers(args[2]).checkpoint(args[1]).schemaTopic(null)
        .maxFilesPerTrigger(Integer.parseInt(args[4]))
        .delivery(DeliveryGuarantee.parse(args.length > 5 ? args[5] : "at-least-once"));
    ProducerSettings.tuned().forEach(builder::kafkaOption);
    DistributionProgress.Summary summary = builder.build().runOnce();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("alerts", summary.alertsRead());
    result.put("messages", summary.messagesPublished());
    result.put("batches", summary.batches());
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    spark.stop();
  }
}
