package org.fink.distribution.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.kafka.ObjectPartitions;
import org.fink.kafka.admin.EmbeddedKafkaBroker;

/**
 * Bytes on disk and producer throughput per {@code DISTRIBUTION_COMPRESSION} setting, for the Fink framing (the
 * schema, tens of KB, repeated as every message's key) and for avro-single-object (key = objectId): real ZTF alerts
 * ({@code ../shared/data/ztf/alerts}), framed by {@link AlertCodec} exactly as the distribution frames them, sent with
 * the distribution's producer settings to a local broker (in this JVM), one fresh topic per setting. Prints a Markdown
 * table (bench/README.md, Compression).
 *
 * <pre>{@code
 * java -cp <bench classpath> org.fink.distribution.bench.CompressionBenchmark [ALERTS_FOLDER] [MESSAGES] [ROUNDS]
 * }</pre>
 */
public final class CompressionBenchmark {
  private static final int PARTITIONS = 4;

  private CompressionBenchmark() {}

  /** One framing and compression: what was sent, what the broker keeps, how fast (median round). */
  record Result(MessageFormat format, String compression, int messages, long bytesSent, long bytesOnDisk,
      double megabytesPerSecond) {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/data/ztf/alerts");
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<GenericRecord> alerts = new ArrayList<>();
    List<Path> files;
    try (var listing = java.nio.file.Files.list(folder)) {
      files = listing.filter(f -> f.toString().endsWith(".avro")).sorted().toList();
    }
    for (Path file : files) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
        reader.forEach(alerts::add);
      }
    }
    if (alerts.isEmpty()) {
      throw new IllegalArgumentException("no alert in " + folder);
    }
    List<Result> results = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
        .property("message.max.bytes", String.valueOf(8 * 1024 * 1024))
        .property("log.segment.delete.delay.ms", "0").build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      for (MessageFormat format : List.of(MessageFormat.FINK, MessageFormat.AVRO_SINGLE_OBJECT)) {
        for (String compression : FinkConfig.COMPRESSIONS) {
          results.add(measure(broker.bootstrapServers(), admin, alerts, format, compression, messages, rounds));
        }
      }
    }
    System.out.println(table(alerts.size(), folder, results));
  }

  private static Result measure(String servers, Admin admin, List<GenericRecord> alerts, MessageFormat format,
      String compression, int messages, int rounds) throws Exception {
    List<Double> rates = new ArrayList<>();
    long sent = 0;
    long onDisk = 0;
    Map<Schema, AlertCodec> codecs = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      String topic = "compression-" + format.label() + "-" + compression + "-" + round;
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
      awaitLeaders(admin, topic);
      Properties props = new Properties();
      props.putAll(ProducerSettings.tuned());
      props.put("bootstrap.servers", servers);
      props.put("compression.type", compression);
      // a topic just created may answer NOT_LEADER once; idempotence would then stall on sequence numbers
      props.put("enable.idempotence", "false");
      sent = 0;
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      long start = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < messages; i++) {
          GenericRecord alert = alerts.get(i % alerts.size());
          AlertCodec codec = codecs.computeIfAbsent(alert.getSchema(), s -> AlertCodec.of(format, s));
          byte[] objectId = alert.get("objectId").toString().getBytes(StandardCharsets.UTF_8);
          byte[] key = codec.messageKey(objectId);
          byte[] value = codec.encode(alert);
          Integer partition = format == MessageFormat.FINK ? ObjectPartitions.of(objectId, PARTITIONS) : null;
          ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, key, value);
          record.headers().add(AlertHeaders.STREAM, "bench".getBytes(StandardCharsets.UTF_8));
          record.headers().add(AlertHeaders.SCHEMA_FINGERPRINT,
              SchemaFingerprint.hex(SchemaFingerprint.of(alert.getSchema())).getBytes(StandardCharsets.UTF_8));
          record.headers().add(AlertHeaders.ALERT_ID, alert.get("candid").toString().getBytes(StandardCharsets.UTF_8));
          acks.add(producer.send(record));
          sent += key.length + value.length;
        }
        for (Future<RecordMetadata> ack : acks) {
          ack.get();
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      rates.add(sent / 1e6 / seconds);
      onDisk = bytesOnDisk(admin, topic);
      admin.deleteTopics(List.of(topic)).all().get();
    }
    rates.sort(Double::compare);
    return new Result(format, compression, messages, sent, onDisk, rates.get(rates.size() / 2));
  }

  /** Waits until every partition of a new topic has its leader (a produce request before fails, then retries). */
  private static void awaitLeaders(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
    throw new IllegalStateException("topic " + topic + " has no leader after 30 s");
  }

  /** The size of the topic's log segments on the broker, all partitions. */
  private static long bytesOnDisk(Admin admin, String topic) throws Exception {
    long bytes = 0;
    int broker = admin.describeCluster().nodes().get().iterator().next().id();
    for (LogDirDescription dir : admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker).values()) {
      for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
        if (replica.getKey().topic().equals(topic)) {
          bytes += replica.getValue().size();
        }
      }
    }
    return bytes;
  }

  private static String table(int distinct, Path folder, List<Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d messages per setting (%d distinct real ZTF alerts of %s, repeated),"
        + " %d partitions, median of the rounds%n%n", results.get(0).messages(), distinct, folder, PARTITIONS));
    out.append("| framing | compression | sent (key + value) | on disk | on disk / sent | producer MB/s (sent bytes) |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (Result r : results) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %.1f MB | %.1f MB | %.2f | %.0f |%n", r.format().label(),
          r.compression(), r.bytesSent() / 1e6, r.bytesOnDisk() / 1e6, (double) r.bytesOnDisk() / r.bytesSent(),
          r.megabytesPerSecond()));
    }
    return out.toString();
  }
}
