package org.fink.distribution.spark;

import static org.fink.distribution.rules.Rules.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.StreamBuilder;
import org.fink.distribution.rules.avro.AlertPredicate;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten streams in one query: messages per topic equal what the Avro evaluator selects for each stream, the science
 * database is read once per batch, and the dry run foresees exactly what is then published (counts and bytes).
 */
class TenStreamsTest {
  @TempDir Path work;

  /** The median of a numeric candidate field, so that a condition on it splits the sample. */
  private static double median(List<GenericRecord> alerts, String field) {
    List<Double> values = alerts.stream()
        .map(a -> ((Number) ((GenericRecord) a.get("candidate")).get(field)).doubleValue()).sorted().toList();
    return values.get(values.size() / 2);
  }

  @Test
  void tenStreamsPublishWhatTheAvroEvaluatorAndTheDryRunSay() throws IOException {
    SparkSession spark = TestSpark.session();
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    List<GenericRecord> inputs = new ArrayList<>();
    for (Path file : SyntheticAlerts.ztf(57).writeContainerFiles(work.resolve("alerts"), 120, 40)) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(inputs::add);
      }
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);

    String run = UUID.randomUUID().toString().substring(0, 8);
    List<StreamBuilder> streams = new ArrayList<>();
    List<Condition> filters = List.of(
        field("candidate.magpsf").lt(16), field("candidate.magpsf").between(16, 18),
        field("candidate.rb").ge(0.8), field("candidate.fid").eq(1), field("candidate.fid").eq(2),
        field("candidate.isdiffpos").eq("t").and(field("candidate.magpsf").lt(19)),
        field("candidate.ssnamenr").isNull(), field("candidate.drb").gt(0.5).or(field("candidate.rb").lt(0.2)),
        field("candidate.ndethist").ge(median(inputs, "ndethist")),
        field("candidate.jd").gt(median(inputs, "jd")).and(field("objectId").startsWith("ZTF")));
    for (int i = 0; i < filters.size(); i++) {
      StreamBuilder stream = Rules.stream("s" + i).topic("ten-" + run + "-" + i).filter(filters.get(i));
      streams.add(i % 2 == 0 ? stream.select("objectId", "candid", "candidate") : stream);
    }
    DistributionRules rules = Rules.of(streams.toArray(StreamBuilder[]::new));
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      for (DistributionStream stream : rules.streams()) {
        admin.createTopic(stream.topic(), 1, 1);
      }
    }

    DryRun.Result dryRun = DryRun.of(db, rules, null, MessageFormat.AVRO_SINGLE_OBJECT);
    DistributionProgress.Summary summary = Distribution.builder().spark(spark).scienceDb(db).rules(rules)
        .servers(servers).checkpoint(work.resolve("checkpoint").toString()).schemaTopic(null)
        // the summary counts message values; the dry run of the fink framing counts the key too (DryRunFramingTest)
        .format(MessageFormat.AVRO_SINGLE_OBJECT).build().runOnce();

    assertEquals(inputs.size(), summary.alertsRead(), "the science database is read once, not once per stream");
    assertEquals(1, summary.batches());
    Map<String, Long> expected = new LinkedHashMap<>();
    for (DistributionStream stream : rules.streams()) {
      AlertPredicate predicate = AlertPredicate.of(stream);
      expected.put(stream.topic(), inputs.stream().filter(predicate).count());
    }
    assertTrue(expected.values().stream().allMatch(n -> n > 0 && n < inputs.size()), expected.toString());
    Map<String, Long> published = new LinkedHashMap<>(summary.perTopic());
    assertEquals(expected, published, "messages per topic = the Avro evaluator's selection");
    for (DistributionStream stream : rules.streams()) {
      assertEquals(expected.get(stream.topic()),
          (long) DistributionEndToEndTest.consume(servers, stream.topic(), 0).size(), "in topic " + stream.topic());
    }

    Map<String, Long> foreseen = new LinkedHashMap<>();
    dryRun.streams().forEach(s -> foreseen.put(s.topic(), s.passed()));
    assertEquals(expected, foreseen, "the dry run foresees the same counts");
    assertEquals(summary.bytes(), dryRun.streams().stream().mapToLong(DryRun.StreamEstimate::bytes).sum(),
        "and the same bytes");
    DryRun.StreamEstimate second = dryRun.streams().get(5);
    assertEquals(2, second.rejectedBy().size(), "one count per condition of an AND");
    List<Condition> conditions = rules.streams().get(5).filter();
    Map<String, Long> fail = new LinkedHashMap<>();
    Map<String, Long> failOnly = new LinkedHashMap<>();
    for (int j = 0; j < conditions.size(); j++) {
      AlertPredicate it = AlertPredicate.of(conditions.get(j));
      AlertPredicate other = AlertPredicate.of(conditions.get(1 - j));
      fail.put(conditions.get(j).toString(), inputs.stream().filter(it.negate()).count());
      failOnly.put(conditions.get(j).toString(), inputs.stream().filter(it.negate().and(other)).count());
    }
    assertEquals(fail, second.rejectedBy(), "alerts failing each condition, counted independently");
    assertEquals(failOnly, second.rejectedOnlyBy(), "alerts failing only that condition");
    assertTrue(fail.values().stream().mapToLong(Long::longValue).sum()
        > failOnly.values().stream().mapToLong(Long::longValue).sum(), "the independent counts overlap: " + fail);
  }
}
