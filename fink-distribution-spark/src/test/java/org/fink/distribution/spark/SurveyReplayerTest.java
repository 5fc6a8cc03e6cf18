package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fink.distribution.kafka.ReplayPace;
import org.fink.distribution.kafka.SurveyReplayer;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The survey replayer's shape (counts per visit, message timestamps on a test clock) and its message formats. */
class SurveyReplayerTest {
  @TempDir Path work;
  final String servers = EmbeddedKafkaBroker.shared().bootstrapServers();

  /** A clock that moves only when the replayer waits. */
  static final class TestTime implements SurveyReplayer.Time {
    long now = 1_700_000_000_000L;

    @Override
    public long millis() {
      return now;
    }

    @Override
    public void sleep(long millis) {
      now += millis;
    }
  }

  @Test
  void visitsSendTheirAlertsTogetherAndEachVisitOnePeriodLater() throws Exception {
    SyntheticAlerts.ztf(3).writeContainerFiles(work.resolve("alerts"), 12, 4); // 3 files of 4 alerts
    List<SurveyReplayer.Message> messages = SurveyReplayer.read(work.resolve("alerts"), Survey.ZTF);
    assertEquals(12, messages.size(), "a file of 4 alerts is split into 4 container messages");
    String topic = topic();
    TestTime time = new TestTime();
    long start = time.now;
    SurveyReplayer.Report report = new SurveyReplayer(servers, new Properties(), time)
        .replay(messages, topic, ReplayPace.visits(5, Duration.ofSeconds(30)));
    assertEquals(List.of(5L, 5L, 2L), report.perVisit());
    assertEquals(12, report.sentAt().size());

    Map<Long, Integer> perTimestamp = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readBack(topic, 12)) {
      perTimestamp.merge(record.timestamp(), 1, Integer::sum);
      assertEquals('O', record.value()[0], "ZTF: an Avro container file per message");
    }
    assertEquals(Map.of(start, 5, start + 30_000, 5, start + 60_000, 2), perTimestamp);
  }

  @Test
  void aRateSpacesEveryAlert() throws Exception {
    SyntheticAlerts.ztf(4).writeContainerFiles(work.resolve("alerts"), 8, 1);
    String topic = topic();
    TestTime time = new TestTime();
    long start = time.now;
    new SurveyReplayer(servers, new Properties(), time)
        .replay(SurveyReplayer.read(work.resolve("alerts"), Survey.ZTF), topic, ReplayPace.rate(4));
    List<Long> timestamps = new ArrayList<>();
    readBack(topic, 8).forEach(r -> timestamps.add(r.timestamp() - start));
    timestamps.sort(null);
    assertEquals(List.of(0L, 250L, 500L, 750L, 1000L, 1250L, 1500L, 1750L), timestamps);
  }

  @Test
  void rubinAlertsAreSentInWireFormatWithTheirSchemaId() throws Exception {
    Path lsst = SharedData.require("lsst/alerts");
    List<SurveyReplayer.Message> messages = SurveyReplayer.read(lsst, Survey.RUBIN);
    assertEquals(4, messages.size(), "3 wire files and one container file");
    String topic = topic();
    new SurveyReplayer(servers, new Properties()).replay(messages, topic, ReplayPace.AS_FAST_AS_POSSIBLE);
    List<Integer> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readBack(topic, 4)) {
      assertEquals(0, record.value()[0], "magic byte");
      ids.add(ByteBuffer.wrap(record.value(), 1, 4).getInt());
    }
    ids.sort(null);
    assertEquals(List.of(704, 704, 704, 900), ids, "7.4 wire files as they are; the 9.0 container re-framed");
  }

  private String topic() {
    String topic = "replay-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 1, (short) 1);
    }
    return topic;
  }

  private List<ConsumerRecord<byte[], byte[]>> readBack(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "replay-test-" + UUID.randomUUID());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertEquals(expected, records.size(), "messages read back from " + topic);
    return records;
  }
}
