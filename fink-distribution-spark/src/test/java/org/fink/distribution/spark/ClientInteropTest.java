package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.AlertJson;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.kafka.FinkSchemaTopic;
import org.fink.distribution.kafka.ObjectPartitions;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams as the community's own clients read them, unmodified, for real ZTF alerts and real Rubin packets: the
 * Fink framing (the default) as fink-client reads it ({@code json.loads(key)} is the schema, the value a bare Avro
 * record read schemaless; the schema also on {@code <topic>_schema}), and the JSON framing as a plain JSON parser
 * reads it. Each alert read is compared field by field with the survey's input file. Python runs Debian's
 * {@code python3-avro} on the raw key and value bytes that Java fetched from the topic.
 */
class ClientInteropTest {
  private static final int ZTF_ALERTS = 60;
  private static final int PARTITIONS = 3;
  private static final DistributionRules EVERYTHING = new DistributionRules(List.of(
      new DistributionStream("all", null, List.of(), List.of(), List.of())));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  private static SurveyAlerts ztf;
  private static SurveyAlerts rubin;

  /** A survey's alerts in a science database, and the input alerts by alert id. */
  private record SurveyAlerts(ScienceDb db, Map<String, GenericRecord> inputs, String keyField,
      Function<JsonNode, String> alertId, Function<GenericRecord, String> objectId) {}

  /** The ZTF alerts, ingested once for the class. */
  private static synchronized SurveyAlerts ztf(SparkSession spark) throws IOException {
    if (ztf != null) {
      return ztf;
    }
    Path source = SharedData.ztfAlerts();
    Path alerts = Files.createDirectories(work.resolve("ztf-alerts"));
    Map<String, GenericRecord> inputs = new HashMap<>();
    for (Path file : SharedData.avroFiles(source).subList(0, ZTF_ALERTS)) {
      Files.copy(file, alerts.resolve(file.getFileName()));
      for (GenericRecord alert : SharedData.readContainer(file).records()) {
        inputs.put(String.valueOf(alert.get("candid")), alert);
      }
    }
    ScienceDb db = new ScienceDb(spark, work.resolve("ztf-db").toString(), "parquet");
    new SurveyIngest(spark).ingest(alerts, db);
    ztf = new SurveyAlerts(db, inputs, "objectId", json -> json.get("candid").asText(),
        alert -> String.valueOf(alert.get("objectId")));
    return ztf;
  }

  /** The Rubin alerts, ingested once for the class. */
  private static synchronized SurveyAlerts rubin(SparkSession spark) throws Exception {
    if (rubin != null) {
      return rubin;
    }
    Path lsst = SharedData.require("lsst");
    SchemaFolder schemas = new SchemaFolder(lsst.resolve("schema"));
    ScienceDb db = new ScienceDb(spark, work.resolve("rubin-db").toString(), "parquet");
    new SurveyIngest(spark, Survey.RUBIN, schemas).ingest(lsst.resolve("alerts"), db);
    Map<String, GenericRecord> inputs = new HashMap<>();
    for (GenericRecord alert : RubinDistributionTest.readAll(lsst.resolve("alerts"), schemas)) {
      inputs.put(String.valueOf(((GenericRecord) alert.get("diaSource")).get("diaSourceId")), alert);
    }
    rubin = new SurveyAlerts(db, inputs, "diaSource.diaObjectId",
        json -> json.get("diaSource").get("diaSourceId").asText(),
        alert -> String.valueOf(((GenericRecord) alert.get("diaSource")).get("diaObjectId")));
    return rubin;
  }

  /** Distributes every alert of the survey, all fields, to a new topic of 3 partitions; returns the topic. */
  private String distribute(SparkSession spark, SurveyAlerts survey, MessageFormat format) {
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    String topic = "interop-" + format.label() + "-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, PARTITIONS, (short) 1);
    }
    Distribution.Builder builder = Distribution.builder().spark(spark).scienceDb(survey.db()).rules(EVERYTHING)
        .servers(servers).defaultTopic(topic).keyField(survey.keyField())
        .checkpoint(work.resolve("checkpoint-" + topic).toString())
        .schemaFile(work.resolve("schemas-" + topic + "/distribution_schema.avsc"));
    if (format != MessageFormat.FINK) {
      builder.format(format);
    } else {
      assertEquals(MessageFormat.FINK, builder.options().format(), "fink is the default framing");
    }
    builder.build().runOnce();
    return topic;
  }

  @Test
  void finkClientReadsRealZtfAlertsWithNoSchemaFile() throws Exception {
    finkClientReads(ztf(TestSpark.session()));
  }

  @Test
  void finkClientReadsRealRubinAlertsWithNoSchemaFile() throws Exception {
    finkClientReads(rubin(TestSpark.session()));
  }

  @Test
  void plainJsonParsersReadRealZtfAndRubinAlerts() throws Exception {
    SparkSession spark = TestSpark.session();
    for (SurveyAlerts survey : List.of(ztf(spark), rubin(spark))) {
      String topic = distribute(spark, survey, MessageFormat.JSON);
      List<ConsumerRecord<byte[], byte[]>> messages = fetch(topic, survey.inputs().size());
      List<String> command = new ArrayList<>(List.of("json"));
      for (ConsumerRecord<byte[], byte[]> message : messages) {
        command.add(write(message.value()).toString());
        assertEquals(survey.objectId().apply(input(survey, JSON.readTree(message.value()))),
            new String(message.key(), StandardCharsets.UTF_8), "the key is the object id");
      }
      assertAllSame(survey, python(command));
      // our consumer recognizes JSON messages by themselves, and decodes them with the schema topic
      assertAllSame(survey, consumeAll(topic, survey.inputs().size()));
    }
  }

  private void finkClientReads(SurveyAlerts survey) throws Exception {
    SparkSession spark = TestSpark.session();
    String topic = distribute(spark, survey, MessageFormat.FINK);
    int n = survey.inputs().size();
    List<ConsumerRecord<byte[], byte[]>> messages = fetch(topic, n);
    assertEquals(n, messages.size());
    Schema schema = SchemaFiles.read(work.resolve("schemas-" + topic + "/distribution_schema.avsc"));
    byte[] schemaKey = AlertCodec.schemaKey(schema);
    Map<String, Integer> partitionOfObject = new HashMap<>();
    List<String> command = new ArrayList<>(List.of("fink"));
    for (ConsumerRecord<byte[], byte[]> message : messages) {
      assertArrayEquals(schemaKey, message.key(), "the key is the stream's schema, compact JSON");
      for (String header : List.of(AlertHeaders.STREAM, AlertHeaders.SCHEMA_FINGERPRINT, AlertHeaders.ALERT_ID)) {
        assertNotNull(message.headers().lastHeader(header), header);
      }
      GenericRecord alert = AlertCodec.of(MessageFormat.FINK, schema).decode(message.value());
      String object = survey.objectId().apply(alert);
      assertEquals(ObjectPartitions.of(object.getBytes(StandardCharsets.UTF_8), PARTITIONS), message.partition(),
          "partition from the object id");
      assertEquals(message.partition(), partitionOfObject.merge(object, message.partition(), (a, b) -> a),
          "one object, one partition");
      command.add(write(message.key()).toString());
      command.add(write(message.value()).toString());
    }
    assertAllSame(survey, python(command));

    // the transfer tool's schema: the key of the first message of <topic>_schema
    List<ConsumerRecord<byte[], byte[]>> schemas = fetch(FinkSchemaTopic.nameFor(topic), 1);
    assertFalse(schemas.isEmpty(), FinkSchemaTopic.nameFor(topic));
    assertArrayEquals(schemaKey, schemas.get(0).key());

    // our consumer needs neither schema file nor schema topic; distribution_test recognizes the framing
    assertAllSame(survey, consumeAll(topic, n));
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    assertEquals(n, new AlertTopicReader(spark, servers, schema, null).read(topic).count());
    assertEquals(n, new AlertTopicReader(spark, servers, schema, MessageFormat.FINK).read(topic).count());
  }

  private static List<ConsumerRecord<byte[], byte[]>> fetch(String topic, int atLeast) {
    return DistributionEndToEndTest.consume(EmbeddedKafkaBroker.shared().bootstrapServers(), topic, atLeast);
  }

  /** Every alert of the topic through {@link AlertConsumer}, as JSON trees ({@link AlertJson}). */
  private static List<JsonNode> consumeAll(String topic, int n) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (AlertConsumer consumer = AlertConsumer.builder().servers(EmbeddedKafkaBroker.shared().bootstrapServers())
        .topics(topic).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (out.size() < n && System.nanoTime() < deadline) {
        for (ConsumedAlert alert : consumer.poll(Duration.ofMillis(200))) {
          out.add(JSON.readTree(AlertJson.write(alert.alert())));
        }
      }
      assertEquals(0, consumer.corrupt());
    }
    return out;
  }

  private static Path write(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(work, "message-", ".bin"), bytes);
  }

  /** Runs the Python reader; one JSON tree per message. */
  private static List<JsonNode> python(List<String> arguments) throws Exception {
    assumeTrue(pythonAvro(), "/usr/bin/python3 with the avro package (Debian python3-avro) is not installed;"
        + " .ci/run installs it");
    Path script = Path.of(ClientInteropTest.class.getResource("/interop/read_like_fink_client.py").toURI());
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
    command.addAll(arguments);
    Path errors = Files.createTempFile(work, "python-", ".err");
    Process python = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(300, TimeUnit.SECONDS), "python did not end");
    assertEquals(0, python.exitValue(), () -> "python failed: " + read(errors));
    List<JsonNode> alerts = new ArrayList<>();
    for (String line : output.strip().split("\n")) {
      alerts.add(JSON.readTree(line));
    }
    return alerts;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  static boolean pythonAvro() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import avro.io").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static GenericRecord input(SurveyAlerts survey, JsonNode read) {
    String id = survey.alertId().apply(read);
    GenericRecord input = survey.inputs().get(id);
    assertNotNull(input, "alert " + id + " is one of the input alerts");
    return input;
  }

  /** Each alert read is one of the inputs, every field of it equal; every input read once. */
  private static void assertAllSame(SurveyAlerts survey, List<JsonNode> read) {
    Set<String> seen = new HashSet<>();
    for (JsonNode alert : read) {
      GenericRecord input = input(survey, alert);
      assertTrue(seen.add(survey.alertId().apply(alert)), "read once");
      assertSame(alert, input, "");
    }
    assertEquals(survey.inputs().keySet(), seen);
  }

  /** A value read (JSON conventions of the JSON framing) against the input's Avro value at {@code path}. */
  private static void assertSame(JsonNode read, Object input, String path) {
    String at = path.isEmpty() ? "(alert)" : path;
    if (input == null) {
      assertTrue(read == null || read.isNull(), at + ": null expected, read " + read);
      return;
    }
    assertNotNull(read, at + " is missing");
    if (input instanceof GenericRecord record) {
      assertTrue(read.isObject(), at);
      for (Schema.Field field : record.getSchema().getFields()) {
        assertSame(read.get(field.name()), record.get(field.pos()), path.isEmpty() ? field.name()
            : path + "." + field.name());
      }
    } else if (input instanceof List<?> list) {
      assertTrue(read.isArray(), at);
      assertEquals(list.size(), read.size(), at + " length");
      for (int i = 0; i < list.size(); i++) {
        assertSame(read.get(i), list.get(i), path + "[" + i + "]");
      }
    } else if (input instanceof Map<?, ?> map) {
      assertEquals(map.size(), read.size(), at + " size");
      map.forEach((k, v) -> assertSame(read.get(k.toString()), v, path + "{" + k + "}"));
    } else if (input instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      assertArrayEquals(bytes, Base64.getDecoder().decode(read.asText()), at);
    } else if (input instanceof GenericFixed fixed) {
      assertArrayEquals(fixed.bytes(), Base64.getDecoder().decode(read.asText()), at);
    } else if (input instanceof Float f) {
      if (f.isNaN() || f.isInfinite()) {
        assertEquals(f.isNaN() ? "NaN" : f > 0 ? "Infinity" : "-Infinity", read.asText(), at);
      } else {
        assertEquals(f.floatValue(), (float) read.asDouble(), at);
      }
    } else if (input instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        assertEquals(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity", read.asText(), at);
      } else {
        assertEquals(d.doubleValue(), read.asDouble(), at);
      }
    } else if (input instanceof Integer || input instanceof Long) {
      assertTrue(read.isIntegralNumber(), at + " is a whole number: " + read);
      assertEquals(((Number) input).longValue(), read.asLong(), at);
    } else if (input instanceof Boolean b) {
      assertEquals(b, read.asBoolean(), at);
    } else if (input instanceof CharSequence || input instanceof org.apache.avro.generic.GenericEnumSymbol) {
      assertEquals(input.toString(), read.asText(), at);
    } else {
      fail(at + ": input of type " + input.getClass() + " not compared");
    }
  }
}
