package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several streams, each with its topic, filter and projection, served by one query that reads each alert once. */
class StreamFanOutTest {
  @TempDir Path work;

  @Test
  void eachAlertGoesToEveryStreamItPassesInOnePass() throws IOException {
    SparkSession spark = TestSpark.session();
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    Map<Long, GenericRecord> inputs = new HashMap<>();
    for (Path file : SyntheticAlerts.ztf(23).writeContainerFiles(work.resolve("alerts"), 50, 1)) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(r -> inputs.put((Long) r.get("candid"), r));
      }
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark).ingest(work.resolve("alerts"), db);

    String suffix = UUID.randomUUID().toString();
    String bright = "bright-" + suffix;
    String all = "all-" + suffix;
    String faint = "faint-" + suffix;
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      for (String topic : List.of(bright, all, faint)) {
        admin.createTopic(topic, 2, (short) 1);
      }
    }
    FieldPath magpsf = FieldPath.of("candidate.magpsf");
    DistributionRules rules = new DistributionRules(List.of(
        new DistributionStream("bright", bright, List.of(FieldPath.of("objectId"), FieldPath.of("candid"), magpsf),
            List.of(), List.of(new Comparison(magpsf, Operator.LT, Literal.of(18.0)))),
        new DistributionStream("all", all, List.of(FieldPath.of("objectId"), FieldPath.of("candid")), List.of(),
            List.of()),
        new DistributionStream("faint", faint, List.of(FieldPath.of("objectId"), FieldPath.of("candid"),
            FieldPath.of("candidate")), List.of(FieldPath.of("candidate.pdiffimfilename")),
            List.of(new Comparison(magpsf, Operator.GE, Literal.of(18.0))))));
    Path schemaFile = work.resolve("schemas/distribution_schema.avsc");
    DistributionProgress.Summary summary = Distribution.builder().spark(spark).scienceDb(db).rules(rules)
        .servers(servers).checkpoint(work.resolve("checkpoint").toString()).schemaFile(schemaFile).build()
        .runOnce();

    Set<Long> brightIds = new HashSet<>();
    inputs.forEach((id, a) -> {
      if ((Float) ((GenericRecord) a.get("candidate")).get("magpsf") < 18f) {
        brightIds.add(id);
      }
    });
    assertTrue(!brightIds.isEmpty() && brightIds.size() < inputs.size());
    assertEquals(inputs.size(), summary.alertsRead(), "each alert is read once, not once per stream");
    assertEquals(2L * inputs.size(), summary.messagesPublished());
    assertEquals(Map.of(bright, (long) brightIds.size(), all, (long) inputs.size(), faint,
        (long) (inputs.size() - brightIds.size())), summary.perTopic());

    assertTopic(servers, bright, schemaFile, brightIds, List.of("objectId", "candid", "candidate"), "bright");
    assertTopic(servers, all, schemaFile, inputs.keySet(), List.of("objectId", "candid"), "all");
    Set<Long> faintIds = new HashSet<>(inputs.keySet());
    faintIds.removeAll(brightIds);
    assertTopic(servers, faint, schemaFile, faintIds, List.of("objectId", "candid", "candidate"), "faint");
    Schema brightSchema = SchemaFiles.read(schemaFile.resolveSibling(bright + ".avsc"));
    assertEquals(List.of("magpsf"), schemaFieldNames(brightSchema.getField("candidate").schema().getTypes().get(1)));
  }

  private static List<String> schemaFieldNames(Schema record) {
    return record.getFields().stream().map(Schema.Field::name).toList();
  }

  private static void assertTopic(String servers, String topic, Path defaultSchemaFile, Set<Long> expected,
      List<String> fields, String stream) {
    Schema schema = SchemaFiles.read(SchemaFiles.forTopic(defaultSchemaFile, "fink_outstream", topic));
    AlertCodec codec = AlertCodec.of(MessageFormat.FINK, schema); // the default framing
    Set<Long> seen = new HashSet<>();
    List<ConsumerRecord<byte[], byte[]>> messages = DistributionEndToEndTest.consume(servers, topic, expected.size());
    for (ConsumerRecord<byte[], byte[]> message : messages) {
      GenericRecord alert = codec.decode(message.value());
      assertEquals(fields, schemaFieldNames(alert.getSchema()));
      assertEquals(stream, new String(message.headers().lastHeader(AlertHeaders.STREAM).value()));
      seen.add((Long) alert.get("candid"));
    }
    assertEquals(expected.size(), messages.size(), "one message per alert of stream " + stream);
    assertEquals(expected, seen);
  }
}
