package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.fink.kafka.admin.GroupPartitionLag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fink_kafka --reset-group}: a dry run shows the plan and changes nothing; each target moves the committed
 * offsets as Kafka's own tool does; a group with active members is refused.
 */
class ResetGroupCommandTest {
  /** 10 messages per partition, one hour apart, the first 3 days ago. */
  private static final Instant FIRST = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);

  @TempDir
  static Path dir;
  static String servers;
  static String conf;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void broker() throws IOException {
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    Path file = dir.resolve("fink.conf");
    Files.write(file, List.of("DISTRIBUTION_SERVERS=" + servers));
    conf = file.toString();
  }

  private static Run fink_kafka(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FinkKafkaCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("--conf", conf));
    all.addAll(List.of(args));
    return new Run(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  private static Properties consumerProps(String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** A 2-partition topic of 20 messages and a group that committed them all; returns the topic. */
  private static String topicReadBy(String group) throws Exception {
    String topic = "reset-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < 10; i++) {
        long time = FIRST.plus(i, ChronoUnit.HOURS).toEpochMilli();
        producer.send(new ProducerRecord<>(topic, 0, time, "k", "m" + i)).get();
        producer.send(new ProducerRecord<>(topic, 1, time, "k", "m" + i)).get();
      }
    }
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(group), new StringDeserializer(),
        new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
      consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(10),
          new TopicPartition(topic, 1), new OffsetAndMetadata(10)));
    }
    return topic;
  }

  private static List<Long> committed(String group) {
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      return admin.describeGroup(group).partitions().stream().map(GroupPartitionLag::committedOffset).toList();
    }
  }

  @Test
  void dryRunShowsThePlanThenEachTargetMovesTheOffsets() throws Exception {
    String group = "reset-group-" + UUID.randomUUID();
    String topic = topicReadBy(group);

    Run plan = fink_kafka("--reset-group", group, "--topic", topic, "--to-earliest", "--dry-run");
    assertEquals(0, plan.exitCode(), plan.err());
    assertEquals("consumer group " + group + " on topic " + topic + " (dry run, nothing changed):\n"
        + "  partition 0: 10 -> 0\n  partition 1: 10 -> 0", plan.out().strip());
    assertEquals(List.of(10L, 10L), committed(group), "a dry run changes nothing");

    Run earliest = fink_kafka("--reset-group", group, "--topic", topic, "--to-earliest");
    assertEquals(0, earliest.exitCode(), earliest.err());
    assertTrue(earliest.out().contains("reset on " + servers), earliest.out());
    assertEquals(List.of(0L, 0L), committed(group));

    assertEquals(0, fink_kafka("--reset-group", group, "--topic", topic, "--shift-by", "3").exitCode());
    assertEquals(List.of(3L, 3L), committed(group));
    assertEquals(0, fink_kafka("--reset-group", group, "--topic", topic, "--shift-by", "-7").exitCode());
    assertEquals(List.of(0L, 0L), committed(group), "kept within the partition");

    Run time = fink_kafka("--reset-group", group, "--topic", topic, "--to-time",
        FIRST.plus(4, ChronoUnit.HOURS).toString());
    assertEquals(0, time.exitCode(), time.err());
    assertEquals(List.of(4L, 4L), committed(group));

    assertEquals(0, fink_kafka("--reset-group", group, "--topic", topic, "--to-latest").exitCode());
    assertEquals(List.of(10L, 10L), committed(group));
  }

  @Test
  void refusesAGroupWithActiveMembers() throws Exception {
    String group = "reset-active-" + UUID.randomUUID();
    String topic = topicReadBy(group);
    try (KafkaConsumer<String, String> member = new KafkaConsumer<>(consumerProps(group), new StringDeserializer(),
        new StringDeserializer())) {
      member.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
        member.poll(Duration.ofMillis(200));
      }
      Run refused = fink_kafka("--reset-group", group, "--topic", topic, "--to-earliest");
      assertEquals(1, refused.exitCode(), refused.out());
      assertTrue(refused.err().contains("consumer group " + group + " has 1 active member(s)"), refused.err());
      assertTrue(refused.err().contains("stop its consumers first"), refused.err());
    }
    assertEquals(List.of(10L, 10L), committed(group));
  }

  @Test
  void aResetNeedsATopicAndATarget() {
    Run noTopic = fink_kafka("--reset-group", "g", "--to-earliest");
    assertEquals(2, noTopic.exitCode());
    assertTrue(noTopic.err().contains("--reset-group G needs --topic T"), noTopic.err());
    Run two = fink_kafka("--reset-group", "g", "--topic", "t", "--to-earliest", "--to-latest");
    assertEquals(2, two.exitCode());
    assertTrue(two.err().contains("mutually exclusive"), two.err());
    Run alone = fink_kafka("--list-topics", "--dry-run");
    assertEquals(2, alone.exitCode());
    assertTrue(alone.err().contains("go with --reset-group G"), alone.err());
  }
}
