package org.example.fink;

import static org.fink.distribution.rules.Rules.field;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.spark.Distribution;
import org.fink.distribution.spark.FinkSparkSession;
import org.fink.distribution.spark.ScienceDb;
import org.fink.distribution.spark.SurveyIngest;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;

/**
 * Embedding the Fink distribution in a broker's own code: rules built in Java, one distribution run against an
 * embedded Kafka broker, the result read back with the consumer library.
 */
public final class BrightAlertsExample {
  private BrightAlertsExample() {}

  public static void main(String[] args) throws Exception {
    List<ConsumedAlert> alerts = run(Files.createTempDirectory("fink-embedding"), 100);
    alerts.forEach(a -> System.out.println(a.alert().get("objectId") + " magpsf="
        + ((org.apache.avro.generic.GenericRecord) a.alert().get("candidate")).get("magpsf")));
    System.out.println(alerts.size() + " bright alerts received");
  }

  /** Generates {@code n} sample alerts under {@code work}, distributes the bright ones, returns what a consumer got. */
  public static List<ConsumedAlert> run(Path work, int n) throws Exception {
    SyntheticAlerts.ztf(42).writeContainerFiles(work.resolve("alerts"), n, 50);
    SparkSession spark = FinkSparkSession.getOrCreate("local[2]", "embedding-example");
    ScienceDb db = new ScienceDb(spark, work.resolve("science_db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);

    DistributionRules rules = Rules.stream("bright").topic("example_bright")
        .select("objectId", "candid", "candidate")
        .drop("candidate.pdiffimfilename")
        .filter(field("candidate.magpsf").lt(18).and(field("candidate.rb").ge(0.5)))
        .rules();
    System.out.println(RulesXml.write(rules));

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(work.resolve("kafka")).build().start();
        FinkKafkaAdmin admin = FinkKafkaAdmin.connect(broker.bootstrapServers())) {
      admin.createTopic("example_bright", 2, 1);
      System.out.println(Distribution.builder().spark(spark).scienceDb(db).rules(rules)
          .servers(broker.bootstrapServers()).checkpoint(work.resolve("checkpoint").toString())
          .schemaFile(work.resolve("schemas/example_bright.avsc")).build().runOnce());

      List<ConsumedAlert> received = new ArrayList<>();
      try (AlertConsumer consumer = AlertConsumer.builder().servers(broker.bootstrapServers())
          .topics("example_bright").schemaFolder(work.resolve("schemas")).build()) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
          received.addAll(consumer.poll(Duration.ofMillis(500)));
        } while (System.nanoTime() < deadline
            && (received.isEmpty() || consumer.lag().values().stream().anyMatch(l -> l > 0)));
      }
      return received;
    } finally {
      spark.stop();
    }
  }
}
