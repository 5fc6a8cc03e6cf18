package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The survey's Kafka stream into the science database: ZTF container messages and Rubin wire-format messages, stored
 * once when replayed twice, a bad message quarantined with its offset while the others are stored.
 */
class KafkaIngestTest {
  @TempDir Path work;
  final SparkSession spark = TestSpark.session();
  final String servers = EmbeddedKafkaBroker.shared().bootstrapServers();

  @Test
  void ztfMessagesReplayedTwiceAreStoredOnceAndABadMessageIsQuarantinedWithItsOffset() throws Exception {
    String topic = newTopic();
    List<Path> files = SyntheticAlerts.ztf(11).writeContainerFiles(work.resolve("alerts"), 12, 1);
    send(topic, files);
    send(topic, List.of(Files.write(work.resolve("junk.bin"), "not an alert".getBytes())));
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    Path quarantine = work.resolve("quarantine");
    KafkaIngest ingest = ingest(db, Survey.ZTF, null, topic, work.resolve("checkpoint"), quarantine);

    KafkaIngest.Progress first = ingest.runAvailable();
    assertEquals(12, first.alerts());
    assertEquals(1, first.quarantined());
    assertEquals(12, db.read().count());
    Path kept = quarantine.resolve(topic + "-0-12.bin");
    assertTrue(Files.isRegularFile(kept), "the bad message is kept under its topic, partition and offset");
    String reason = Files.readString(quarantine.resolve(topic + "-0-12.bin.reason.txt"));
    assertTrue(reason.contains("offset 12") && reason.contains("neither an Avro container file"), reason);

    send(topic, files); // the survey sends the same alerts again
    assertEquals(12, ingest.runAvailable().alerts(), "the checkpoint goes on from the new messages");
    // a new checkpoint re-reads all 25 messages from the start
    assertEquals(24, ingest(db, Survey.ZTF, null, topic, work.resolve("checkpoint2"), quarantine).runAvailable()
        .alerts());
    assertEquals(12, db.read().count(), "every alert stored once");
    assertEquals(12, db.read().select("candid").distinct().count());
    assertEquals(12, db.read().filter("night IS NOT NULL AND fink_ingest_time IS NOT NULL").count());
  }

  @Test
  void alertsSentAgainWhileTheIngestRunsAreStoredOnce() throws Exception {
    String topic = newTopic();
    List<Path> files = SyntheticAlerts.ztf(12).writeContainerFiles(work.resolve("alerts"), 8, 1);
    send(topic, files);
    send(topic, files.subList(2, 6)); // sent again: the second micro-batch of the same run finds them stored
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    KafkaIngest.Progress progress = KafkaIngest.builder().spark(spark).scienceDb(db).survey(Survey.ZTF, null)
        .servers(servers).topics(topic).checkpoint(work.resolve("cp").toString()).maxOffsetsPerTrigger(8).build()
        .runAvailable();
    assertEquals(2, progress.batches(), "8 messages, then the 4 sent again");
    assertEquals(12, progress.alerts());
    assertEquals(8, db.read().count(), "every alert stored once");
    assertEquals(8, db.read().select("candid").distinct().count());
  }

  @Test
  void realZtfAlertsOfMixedSchemaVersionsAreStoredFieldForField() throws Exception {
    List<Path> files;
    try (Stream<Path> all = Files.list(SharedData.ztfAlerts())) {
      files = all.filter(p -> p.toString().endsWith(".avro")).sorted().limit(30).toList();
    }
    String topic = newTopic();
    send(topic, files);
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    assertEquals(30, ingest(db, Survey.ZTF, null, topic, work.resolve("cp"), work.resolve("q")).runAvailable()
        .alerts());
    Set<Long> expected = new HashSet<>();
    for (Path file : files) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(r -> expected.add((Long) r.get("candid")));
      }
    }
    Set<Long> stored = new HashSet<>();
    db.read().select("candid").collectAsList().forEach(r -> stored.add(r.getLong(0)));
    assertEquals(expected, stored);
  }

  @Test
  void rubinWireFormatMessagesOfTwoVersionsAreDecodedWithTheSchemaFolder() throws Exception {
    Path lsst = SharedData.require("lsst");
    List<Path> files = SurveyIngest.alertFiles(lsst.resolve("alerts/kafka-wire"));
    String topic = newTopic();
    send(topic, files);
    // and the 9.0 container alert, sent as Rubin sends it (wire format, schema id 900), in the same micro-batch
    List<org.fink.distribution.kafka.SurveyReplayer.Message> v90 = org.fink.distribution.kafka.SurveyReplayer.read(
        lsst.resolve("alerts/container"), Survey.RUBIN);
    new org.fink.distribution.kafka.SurveyReplayer(servers, new Properties()).replay(v90, topic,
        org.fink.distribution.kafka.ReplayPace.AS_FAST_AS_POSSIBLE);
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    KafkaIngest.Progress progress = ingest(db, Survey.RUBIN, lsst.resolve("schema"), topic, work.resolve("cp"),
        work.resolve("q")).runAvailable();
    assertEquals(files.size() + 1, progress.alerts());
    assertEquals(0, progress.quarantined());
    var v74 = new SchemaFolder(lsst.resolve("schema")).forSchemaId(704);
    Set<Long> expected = new HashSet<>();
    for (Path wire : files) {
      byte[] bytes = Files.readAllBytes(wire);
      GenericRecord alert = new GenericDatumReader<GenericRecord>(v74)
          .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
      expected.add((Long) ((GenericRecord) alert.get("diaSource")).get("diaSourceId"));
    }
    expected.add(Long.valueOf(v90.get(0).alertId()));
    Set<Long> stored = new HashSet<>();
    for (Row row : db.read().select("diaSource.diaSourceId", "night").collectAsList()) {
      stored.add(row.getLong(0));
    }
    assertEquals(expected, stored, "7.4 and 9.0 alerts in one table");
  }

  private KafkaIngest ingest(ScienceDb db, Survey survey, Path schemas, String topic, Path checkpoint,
      Path quarantine) {
    return KafkaIngest.builder().spark(spark).scienceDb(db).survey(survey, schemas).servers(servers)
        .topics(topic).checkpoint(checkpoint.toString()).quarantine(quarantine).build();
  }

  private String newTopic() {
    String topic = "survey-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 1, (short) 1);
    }
    return topic;
  }

  private void send(String topic, List<Path> files) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (Path file : files) {
        producer.send(new ProducerRecord<>(topic, Files.readAllBytes(file))).get();
      }
    }
  }
}
