package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.Survey;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, live: survey alerts replayed to a Kafka topic in visits, ingested from Kafka, distributed to a
 * community topic and read back by {@code AlertConsumer}, with each alert's latency.
 */
class LiveChainTest {
  private static final String RULES = """
      <?xml version="1.0" encoding="UTF-8"?>
      <distribution-rules>
        <select>
          <column name="objectId"/>
          <column name="candid"/>
          <column name="candidate"/>
        </select>
      </distribution-rules>
      """;

  @TempDir Path work;
  final SparkSession spark = TestSpark.session();
  final String servers = EmbeddedKafkaBroker.shared().bootstrapServers();

  @Test
  void replayedVisitsGoThroughIngestAndDistributionToTheConsumer() throws Exception {
    SyntheticAlerts generator = SyntheticAlerts.ztf(21);
    List<SurveyReplayer.Message> warmUp = SurveyReplayer.read(
        dir(generator.writeContainerFiles(work.resolve("warm"), 4, 1)), Survey.ZTF);
    List<SurveyReplayer.Message> alerts = SurveyReplayer.read(
        dir(generator.writeContainerFiles(work.resolve("alerts"), 20, 1)), Survey.ZTF);
    String surveyTopic = "survey-" + UUID.randomUUID();
    String community = "community-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(surveyTopic, 2, (short) 1);
      admin.createTopic(community, 2, (short) 1);
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    KafkaIngest ingest = KafkaIngest.builder().spark(spark).scienceDb(db).survey(Survey.ZTF, null)
        .servers(servers).topics(surveyTopic).checkpoint(work.resolve("ingest-cp").toString())
        .triggerSeconds(0.2).build();
    DistributionRules rules = org.fink.distribution.rules.xml.RulesXml.read(
        Files.writeString(work.resolve("rules.xml"), RULES));
    LiveChain chain = new LiveChain(ingest, () -> Distribution.builder().spark(spark).scienceDb(db).rules(rules)
        .servers(servers).checkpoint(work.resolve("dist-cp").toString()).defaultTopic(community)
        .schemaFile(work.resolve("schemas/distribution_schema.avsc")).triggerSeconds(0.2).build(),
        new SurveyReplayer(servers, new Properties()), surveyTopic, servers);

    LiveChain.Result result = chain.run(warmUp, alerts, ReplayPace.visits(10, Duration.ofMillis(500)),
        Duration.ofMinutes(3));

    assertEquals(20, result.replayed());
    assertEquals(20, result.published(), "every alert passes these rules: one community message each");
    assertEquals(20, result.latency().alerts(), "every alert read back by AlertConsumer, by its candid");
    assertEquals(List.of(10, 10), result.perVisit().stream().map(LiveChain.Latency::alerts).toList());
    assertTrue(result.latency().p50() > 0 && result.latency().max() >= result.latency().p99(), result.latency()
        .toString());
    assertEquals(24, db.read().count(), "warm-up and measured alerts stored once");
  }

  private static Path dir(List<Path> files) {
    return files.get(0).getParent();
  }
}
