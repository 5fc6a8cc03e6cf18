package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.rules.WatchlistMatch;
import org.fink.distribution.rules.avro.WatchlistMatcher;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distribution with a watchlist, to a real broker: the watchlist stream publishes exactly the alerts near a source,
 * each message carrying the source's name and separation; a stream that also takes other alerts (an {@code <or>})
 * publishes null match fields for them; the topic's schema ends with the two nullable fields.
 */
class WatchlistDistributionTest {
  @TempDir Path work;

  @Test
  void publishedAlertsCarryTheMatchedSourceAndItsSeparation() throws IOException {
    SparkSession spark = TestSpark.session();
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    Map<Long, GenericRecord> inputs = new HashMap<>();
    for (Path file : SyntheticAlerts.ztf(29).writeContainerFiles(work.resolve("alerts"), 40, 1)) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(r -> inputs.put((Long) r.get("candid"), r));
      }
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);

    // sources 0.5 arcsec north of every 4th alert; the expected match of each alert: the nearest within 2 arcsec
    StringBuilder csv = new StringBuilder("name,ra,dec\n");
    int k = 0;
    for (GenericRecord alert : inputs.values()) {
      GenericRecord c = (GenericRecord) alert.get("candidate");
      if (k++ % 4 == 0) {
        csv.append("src ").append(alert.get("candid")).append(',').append(c.get("ra")).append(',')
            .append((Double) c.get("dec") + 0.5 / 3600).append('\n');
      }
    }
    Path catalog = Files.writeString(work.resolve("watchlist.csv"), csv.toString());
    Watchlist watchlist = Rules.watchlist("candidate.ra", "candidate.dec").file(catalog)
        .within(2, AngleUnit.ARCSEC).annotated();
    WatchlistMatcher matcher = new WatchlistMatcher(watchlist);
    Map<Long, WatchlistMatch> expected = new HashMap<>();
    inputs.forEach((id, alert) -> {
      if (matcher.match(alert) != null) {
        expected.put(id, matcher.match(alert));
      }
    });
    assertTrue(expected.size() >= 10 && expected.size() < inputs.size(), "matches: " + expected.size());

    String suffix = UUID.randomUUID().toString();
    String near = "near-" + suffix;
    String mixed = "mixed-" + suffix;
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      for (String topic : List.of(near, mixed)) {
        admin.createTopic(topic, 2, (short) 1);
      }
    }
    DistributionRules rules = Rules.of(
        Rules.stream("near").topic(near).select("objectId", "candid").filter(watchlist),
        Rules.stream("mixed").topic(mixed).select("objectId", "candid")
            .filter(Rules.or(watchlist, Rules.field("candid").isNotNull())));
    Path schemaFile = work.resolve("schemas/distribution_schema.avsc");
    DistributionProgress.Summary summary = Distribution.builder().spark(spark).scienceDb(db).rules(rules)
        .servers(servers).checkpoint(work.resolve("checkpoint").toString()).schemaFile(schemaFile).build()
        .runOnce();
    assertEquals(Map.of(near, (long) expected.size(), mixed, (long) inputs.size()), summary.perTopic());

    for (String topic : List.of(near, mixed)) {
      Schema schema = SchemaFiles.read(SchemaFiles.forTopic(schemaFile, "fink_outstream", topic));
      assertEquals(List.of("objectId", "candid", Watchlist.NAME_FIELD, Watchlist.SEPARATION_FIELD),
          schema.getFields().stream().map(Schema.Field::name).toList());
      AlertCodec codec = AlertCodec.of(MessageFormat.FINK, schema);
      int count = topic.equals(near) ? expected.size() : inputs.size();
      int matched = 0;
      for (ConsumerRecord<byte[], byte[]> message : DistributionEndToEndTest.consume(servers, topic, count)) {
        GenericRecord alert = codec.decode(message.value());
        WatchlistMatch match = expected.get((Long) alert.get("candid"));
        if (match == null) {
          assertEquals(mixed, topic, "only the mixed stream takes alerts near no source");
          assertNull(alert.get(Watchlist.NAME_FIELD));
          assertNull(alert.get(Watchlist.SEPARATION_FIELD));
          continue;
        }
        matched++;
        assertEquals(match.name(), alert.get(Watchlist.NAME_FIELD).toString());
        assertEquals(match.separationArcsec(), (Double) alert.get(Watchlist.SEPARATION_FIELD));
        assertTrue(match.separationArcsec() <= 2, "within the radius: " + match.separationArcsec());
      }
      assertEquals(expected.size(), matched, topic);
    }
  }
}
