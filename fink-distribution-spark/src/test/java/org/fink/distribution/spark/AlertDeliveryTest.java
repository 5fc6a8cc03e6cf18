package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.DistributionSchema;
import org.fink.distribution.schema.SchemaException;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema delivery and decoding without Spark: the schema file and the schema topic each suffice to decode every
 * message, in Java ({@link AlertConsumer}) and in Python (the standard avro package); corrupt messages are skipped and
 * counted; duplicates dropped; schema changes checked.
 */
class AlertDeliveryTest {
  private static final int ALERTS = 40;
  private static final DistributionRules ALL = rules("objectId", "candid", "candidate", "cutoutScience");
  /** The framings whose value alone says, or with the schema file, what it holds. */
  private static final List<MessageFormat> AVRO_FRAMED =
      List.of(MessageFormat.AVRO_SINGLE_OBJECT, MessageFormat.AVRO_RAW, MessageFormat.AVRO_CONTAINER);

  @TempDir static Path work;
  static SparkSession spark;
  static ScienceDb db;
  static String servers;
  static final Map<Long, GenericRecord> inputs = new HashMap<>();

  @BeforeAll
  static void scienceDb() throws IOException {
    spark = TestSpark.session();
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    Path alerts = work.resolve("alerts");
    for (Path file : SyntheticAlerts.ztf(11).writeContainerFiles(alerts, ALERTS, 1)) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(r -> inputs.put((Long) r.get("candid"), r));
      }
    }
    new SurveyIngest(spark).ingest(alerts, db);
  }

  private static DistributionRules rules(String... fields) {
    return new DistributionRules(List.of(new DistributionStream("all", null,
        List.of(fields).stream().map(FieldPath::of).toList(), List.of(), List.of())));
  }

  /** Distributes the science database to a new topic; returns the topic. */
  private static String distribute(MessageFormat format, DistributionRules rules, Path schemaFile) {
    String topic = "delivery-" + format.label() + "-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    Distribution.builder().spark(spark).scienceDb(db).rules(rules).servers(servers).defaultTopic(topic)
        .checkpoint(work.resolve("checkpoint-" + topic).toString()).schemaFile(schemaFile).format(format).build()
        .runOnce();
    return topic;
  }

  private static List<ConsumedAlert> consumeAll(AlertConsumer consumer, int atLeast) {
    List<ConsumedAlert> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      out.addAll(consumer.poll(Duration.ofMillis(200)));
      if (out.size() >= atLeast && consumer.lag().values().stream().allMatch(l -> l == 0)) {
        break;
      }
    }
    return out;
  }

  private static void assertSameAlerts(List<ConsumedAlert> consumed) {
    assertEquals(ALERTS, consumed.size());
    Set<Long> candids = new HashSet<>();
    for (ConsumedAlert a : consumed) {
      long candid = (Long) a.alert().get("candid");
      candids.add(candid);
      GenericRecord in = inputs.get(candid);
      assertEquals(in.get("objectId").toString(), a.alert().get("objectId").toString());
      // the Fink framing's key is the schema: no object id to report
      assertEquals(a.format() == MessageFormat.FINK ? null : in.get("objectId").toString(), a.key());
      assertEquals(String.valueOf(candid), a.alertId());
      GenericRecord cutout = (GenericRecord) a.alert().get("cutoutScience");
      GenericRecord cutoutIn = (GenericRecord) in.get("cutoutScience");
      assertArrayEquals(bytes(cutoutIn.get("stampData")), bytes(cutout.get("stampData")), "cutout bytes");
    }
    assertEquals(inputs.keySet(), candids);
  }

  private static byte[] bytes(Object buffer) {
    java.nio.ByteBuffer b = ((java.nio.ByteBuffer) buffer).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void everyFramingDecodesWithTheSchemaFileAloneOrTheSchemaTopicAlone() {
    for (MessageFormat format : MessageFormat.values()) {
      Path schemaFile = work.resolve("schemas-" + format.label() + "/distribution_schema.avsc");
      String topic = distribute(format, ALL, schemaFile);
      try (AlertConsumer fromFile = AlertConsumer.builder().servers(servers).topics(topic)
          .schemaFolder(schemaFile.getParent()).schemaTopic(null).build()) {
        assertSameAlerts(consumeAll(fromFile, ALERTS));
        assertEquals(0, fromFile.corrupt());
      }
      try (AlertConsumer fromTopic = AlertConsumer.builder().servers(servers).topics(topic).build()) {
        List<ConsumedAlert> alerts = consumeAll(fromTopic, ALERTS);
        assertSameAlerts(alerts);
        assertTrue(alerts.stream().allMatch(a -> a.format() == format), "framing recognized: " + format);
      }
      Schema schema = SchemaFiles.read(schemaFile);
      long sparkDecoded = new AlertTopicReader(spark, servers, schema, null).read(topic).count();
      assertEquals(ALERTS, sparkDecoded, "distribution_test recognizes " + format.label() + " by itself");
    }
  }

  @Test
  void corruptMessagesAreSkippedAndCountedDuplicatesDropped() throws Exception {
    Path schemaFile = work.resolve("schemas-corrupt/distribution_schema.avsc");
    String topic = distribute(MessageFormat.AVRO_SINGLE_OBJECT, ALL, schemaFile);
    List<ConsumerRecord<byte[], byte[]>> published = DistributionEndToEndTest.consume(servers, topic, ALERTS);
    ConsumerRecord<byte[], byte[]> valid = published.get(0);
    byte[] wrongFingerprint = valid.value().clone();
    wrongFingerprint[5] ^= 0x55;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, 0, null, "garbage".getBytes(StandardCharsets.UTF_8))).get();
      producer.send(new ProducerRecord<>(topic, 0, null, java.util.Arrays.copyOf(valid.value(), 100))).get();
      producer.send(new ProducerRecord<>(topic, 0, null, wrongFingerprint)).get();
      // in every framing, the objectId's length claims 2 GB: skipped, not an OutOfMemoryError
      Schema schema = SchemaFiles.read(schemaFile);
      GenericRecord alert = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema).decode(valid.value());
      for (MessageFormat format : AVRO_FRAMED) {
        byte[] value = AlertCodec.of(format, schema).encode(alert);
        byte[] corrupt = claimTwoGigabytes(value, alert.get("objectId").toString());
        producer.send(new ProducerRecord<>(topic, 0, (byte[]) null, corrupt, valid.headers())).get();
      }
      producer.send(new ProducerRecord<>(topic, 0, valid.key(), valid.value(), valid.headers())).get();
    }
    try (AlertConsumer consumer = AlertConsumer.builder().servers(servers).topics(topic)
        .schemaFolder(schemaFile.getParent()).schemaTopic(null).build()) {
      List<ConsumedAlert> alerts = consumeAll(consumer, ALERTS);
      assertSameAlerts(alerts);
      assertEquals(6, consumer.corrupt(), "garbage, truncated, wrong fingerprint, 2 GB lengths in 3 framings");
      assertEquals(1, consumer.duplicates(), "the same alert id twice");
    }
  }

  /** The message with the length of the string {@code text} (one varint byte before it) replaced by 2 GB. */
  private static byte[] claimTwoGigabytes(byte[] value, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 1; i + needle.length <= value.length; i++) {
      if (value[i - 1] == (byte) (needle.length << 1)
          && java.util.Arrays.equals(value, i, i + needle.length, needle, 0, needle.length)) {
        byte[] huge = {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}; // zig-zag varint of 2^31 - 8
        byte[] out = new byte[value.length + huge.length - 1];
        System.arraycopy(value, 0, out, 0, i - 1);
        System.arraycopy(huge, 0, out, i - 1, huge.length);
        System.arraycopy(value, i, out, i - 1 + huge.length, value.length - i);
        return out;
      }
    }
    throw new AssertionError(text + " not found in the message");
  }

  @Test
  void oldConsumersReadNewMessagesAndIncompatibleChangesAreRefused() {
    Path schemaFile = work.resolve("schemas-evolution/distribution_schema.avsc");
    String topic = distribute(MessageFormat.AVRO_SINGLE_OBJECT, rules("objectId", "candid"), schemaFile);
    Schema old = SchemaFiles.read(schemaFile);

    // the stream gains a field: accepted, and a consumer that still uses the old schema reads the new messages
    Distribution.builder().spark(spark).scienceDb(db).rules(rules("objectId", "candid", "candidate"))
        .servers(servers).defaultTopic(topic).checkpoint(work.resolve("checkpoint-evolved").toString())
        .schemaFile(schemaFile).build().runOnce();
    Schema evolved = SchemaFiles.read(schemaFile);
    assertTrue(evolved.getField("candidate") != null);
    try (AlertConsumer consumer = AlertConsumer.builder().servers(servers).topics(topic).readerSchema(old)
        .dedupeWindow(0).build()) {
      List<ConsumedAlert> alerts = consumeAll(consumer, 2 * ALERTS);
      assertEquals(2 * ALERTS, alerts.size());
      assertTrue(alerts.stream().allMatch(a -> a.alert().getSchema().equals(old)), "decoded into the old schema");
      assertEquals(2, alerts.stream().map(ConsumedAlert::fingerprint).distinct().count(), "two writer schemas");
    }

    // a type change is refused, before anything is published; unless forced
    Schema incompatible = new Schema.Parser().parse(evolved.toString().replace(
        "{\"name\":\"candid\",\"type\":[\"null\",\"long\"]", "{\"name\":\"candid\",\"type\":[\"null\",\"string\"]"));
    SchemaFiles.write(schemaFile, incompatible);
    long before = DistributionEndToEndTest.consume(servers, topic, 2 * ALERTS).size();
    SchemaException refused = assertThrows(SchemaException.class, () -> Distribution.builder().spark(spark)
        .scienceDb(db).rules(rules("objectId", "candid", "candidate")).servers(servers).defaultTopic(topic)
        .checkpoint(work.resolve("checkpoint-refused").toString()).schemaFile(schemaFile).build().runOnce());
    assertTrue(refused.getMessage().contains("cannot be read by consumers of its previous schema"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("candid"), refused.getMessage());
    assertEquals(before, DistributionEndToEndTest.consume(servers, topic, (int) before).size(), "nothing published");
    Distribution.builder().spark(spark).scienceDb(db).rules(rules("objectId", "candid", "candidate"))
        .servers(servers).defaultTopic(topic).checkpoint(work.resolve("checkpoint-forced").toString())
        .schemaFile(schemaFile).forceSchemaChange(true).build().runOnce();
    assertEquals(evolved, SchemaFiles.read(schemaFile));
  }

  @Test
  void schemaIsTheSameWhateverTheSessionAndTheRead() {
    DistributionStream stream = ALL.streams().get(0);
    String batch = DistributionSchema.derive(ScienceDb.avroSchema(db.read().schema()), stream).toString(true);
    SparkSession other = spark.newSession();
    ScienceDb sameDb = new ScienceDb(other, db.path(), "parquet");
    String streaming = DistributionSchema.derive(ScienceDb.avroSchema(sameDb.readStream().schema()), stream)
        .toString(true);
    assertEquals(batch, streaming);
    assertEquals(SchemaFingerprint.of(new Schema.Parser().parse(batch)),
        SchemaFingerprint.of(new Schema.Parser().parse(streaming)));
  }

  @Test
  void pythonDecodesEveryFraming() throws Exception {
    Path script = Path.of(getClass().getResource("/interop/decode_alerts.py").toURI());
    assumeTrue(pythonAvro(), "/usr/bin/python3 with the avro package (Debian python3-avro) is not installed;"
        + " .ci/run installs it");
    for (MessageFormat format : AVRO_FRAMED) { // fink and json: ClientInteropTest
      Path schemaFile = work.resolve("schemas-python-" + format.label() + "/distribution_schema.avsc");
      String topic = distribute(format, ALL, schemaFile);
      List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), schemaFile.toString(),
          format.label()));
      Map<String, String> expected = new HashMap<>();
      int n = 0;
      for (ConsumerRecord<byte[], byte[]> message : DistributionEndToEndTest.consume(servers, topic, ALERTS)) {
        Path file = Files.write(work.resolve(topic + "-" + n++ + ".bin"), message.value());
        command.add(file.toString());
      }
      inputs.forEach((candid, alert) -> expected.put(String.valueOf(candid), alert.get("objectId").toString()));
      Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(python.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, python.exitValue(), output);
      Map<String, String> decoded = new HashMap<>();
      for (String line : output.strip().split("\n")) {
        String[] parts = line.split(" ");
        decoded.put(parts[1], parts[0]);
      }
      assertEquals(expected, decoded, "Python decodes " + format.label());
    }
  }

  private static boolean pythonAvro() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import avro.io").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static Properties producerProps() {
    Properties props = new Properties();
    props.put("bootstrap.servers", servers);
    return props;
  }
}
