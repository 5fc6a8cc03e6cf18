package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.kafka.SchemaTopic;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.SchemaPaths;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real ZTF alerts (schema versions 3.1, 3.3 and 4.02 mixed): ingest into the science database,
 * distribute with a rules file that selects, drops and filters, then read the topic with plain Avro and Kafka clients.
 */
class DistributionEndToEndTest {
  private static final String RULES = """
      <?xml version="1.0" encoding="UTF-8"?>
      <distribution-rules>
        <select>
          <column name="objectId"/>
          <column name="candid"/>
          <column name="candidate"/>
          <column name="prv_candidates"/>
        </select>
        <drop>
          <column name="candidate" subcol="pdiffimfilename"/>
          <column name="prv_candidates" subcol="pdiffimfilename"/>
        </drop>
        <filter>
          <column name="candidate" subcol="magpsf" operator="&lt;" value="18.5"/>
          <column name="candidate" subcol="isdiffpos" operator="=" value="'t'"/>
        </filter>
      </distribution-rules>
      """;

  @TempDir static Path work;
  static boolean ingestedOnce;
  static SparkSession spark;
  static ScienceDb db;
  static Map<Long, GenericRecord> inputs = new HashMap<>();
  static long ingested;

  /** Once for the class, but per test so that each test is reported skipped (with the reason) without the data. */
  @BeforeEach
  void ingestRealAlertsOnce() throws IOException {
    Path alerts = SharedData.ztfAlerts();
    if (ingestedOnce) {
      return;
    }
    spark = TestSpark.session();
    db = new ScienceDb(spark, work.resolve("science_db").toString(), "parquet");
    ingested = new SurveyIngest(spark).ingest(alerts, db);
    for (Path file : SurveyIngest.alertFiles(alerts)) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(r -> inputs.put((Long) r.get("candid"), r));
      }
    }
    ingestedOnce = true;
  }

  @Test
  void ingestKeepsEveryAlertOfEverySchemaVersion() {
    assertEquals(inputs.size(), ingested);
    List<Row> rows = db.read().select("candid", "candidate.drb", "night").collectAsList();
    assertEquals(inputs.size(), rows.size());
    for (Row row : rows) {
      GenericRecord input = inputs.get(row.getLong(0));
      assertNotNull(input, "unknown candid " + row.get(0));
      GenericRecord candidate = (GenericRecord) input.get("candidate");
      Object drb = candidate.getSchema().getField("drb") == null ? null : candidate.get("drb");
      assertEquals(drb, row.get(1), "candidate.drb (null where the writer schema lacks it)");
      assertNotNull(row.get(2), "night partition");
    }
  }

  @Test
  void distributesExactlyTheAlertsThatPassTheFilter() throws IOException {
    Path rulesFile = Files.writeString(work.resolve("rules.xml"), RULES);
    DistributionRules rules = RulesXml.read(rulesFile);
    String topic = "e2e-" + UUID.randomUUID();
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    Path schemaFile = work.resolve("schemas/distribution_schema.avsc");
    Distribution.builder().spark(spark).scienceDb(db).rules(rules).servers(servers)
        .checkpoint(work.resolve("checkpoint").toString()).defaultTopic(topic).schemaFile(schemaFile)
        .format(MessageFormat.AVRO_SINGLE_OBJECT).build().runOnce();

    Map<Long, GenericRecord> expected = new HashMap<>();
    inputs.forEach((candid, alert) -> {
      GenericRecord c = (GenericRecord) alert.get("candidate");
      if ((Float) c.get("magpsf") < 18.5f && "t".equals(c.get("isdiffpos").toString())) {
        expected.put(candid, alert);
      }
    });
    assertFalse(expected.isEmpty(), "the filter should keep some real alerts");
    assertTrue(expected.size() < inputs.size(), "the filter should reject some real alerts");

    Schema schema = SchemaFiles.read(schemaFile);
    Schema candidateSchema = SchemaPaths.nonNull(schema.getField("candidate").schema());
    assertEquals("Magnitude from PSF-fit photometry [mag]", candidateSchema.getField("magpsf").doc(),
        "field docs of the survey schema are carried to the distribution schema");
    assertEquals(schema, new SchemaTopic(servers, SchemaTopic.DEFAULT_NAME, new Properties()).latestFor(topic)
        .orElseThrow(), "the schema topic holds the stream's schema");
    AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema);
    List<ConsumerRecord<byte[], byte[]>> messages = consume(servers, topic, expected.size());
    assertEquals(expected.size(), messages.size(), "one message per alert that passes the filter");

    Map<Long, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> message : messages) {
      assertEquals(SchemaFingerprint.of(schema), SchemaFingerprint.read(message.value()),
          "the schema file is the schema the messages carry");
      GenericRecord out = codec.decode(message.value());
      long candid = (Long) out.get("candid");
      seen.merge(candid, 1, Integer::sum);
      GenericRecord in = expected.get(candid);
      assertNotNull(in, "alert " + candid + " does not pass the filter but was published");
      assertEquals(in.get("objectId").toString(), new String(message.key(), StandardCharsets.UTF_8));
      assertEquals(List.of("objectId", "candid", "candidate", "prv_candidates"),
          out.getSchema().getFields().stream().map(Schema.Field::name).toList());
      assertEquals(in.get("objectId").toString(), out.get("objectId").toString());
      assertSameFields((GenericRecord) in.get("candidate"), (GenericRecord) out.get("candidate"));
      assertSamePrvCandidates(in.get("prv_candidates"), out.get("prv_candidates"));
      assertEquals(String.valueOf(candid), header(message, AlertHeaders.ALERT_ID));
      assertEquals("default", header(message, AlertHeaders.STREAM));
    }
    assertEquals(expected.keySet(), seen.keySet());
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "each alert once");

    List<Row> decoded = new AlertTopicReader(spark, servers, schema, MessageFormat.AVRO_SINGLE_OBJECT)
        .read(topic).select("candid").collectAsList();
    assertEquals(expected.keySet(), new java.util.HashSet<>(decoded.stream().map(r -> r.getLong(0)).toList()),
        "the Spark test consumer decodes the same alerts");
  }

  /** Every field of the input record is in the output with an equal value, except pdiffimfilename (dropped). */
  private static void assertSameFields(GenericRecord in, GenericRecord out) {
    assertNull(out.getSchema().getField("pdiffimfilename"), "dropped field pdiffimfilename");
    for (Schema.Field field : in.getSchema().getFields()) {
      if (field.name().equals("pdiffimfilename")) {
        continue;
      }
      assertEquals(normalize(in.get(field.name())), normalize(out.get(field.name())),
          "field " + field.name() + " of alert " + in.get("candid"));
    }
  }

  @SuppressWarnings("unchecked")
  private static void assertSamePrvCandidates(Object in, Object out) {
    if (in == null) {
      assertNull(out);
      return;
    }
    List<GenericRecord> inList = (List<GenericRecord>) in;
    List<GenericRecord> outList = (List<GenericRecord>) out;
    assertEquals(inList.size(), outList.size());
    for (int i = 0; i < inList.size(); i++) {
      assertSameFields(inList.get(i), outList.get(i));
    }
  }

  private static Object normalize(Object value) {
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    if (value instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return java.util.HexFormat.of().formatHex(bytes);
    }
    return value;
  }

  private static String header(ConsumerRecord<byte[], byte[]> message, String key) {
    var header = message.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Reads the whole topic: polls until {@code atLeast} messages arrived, then until the end offsets are reached. */
  static List<ConsumerRecord<byte[], byte[]>> consume(String servers, String topic, int atLeast) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        if (out.size() >= atLeast && !consumer.assignment().isEmpty()) {
          Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
          if (end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            break;
          }
        }
      }
    }
    return out;
  }
}
