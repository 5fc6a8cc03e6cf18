package org.fink.distribution.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The commit markers of exactly-once publishing: a one-partition topic where each publishing task writes, inside the
 * Kafka transaction that holds its messages, one marker per science-database file split it read: key
 * {@code <query>/<batch>/<file>}, value {@code <first row>-<last row>} (row indexes within the file). A marker is
 * visible (read_committed) exactly when the messages of those rows are; a micro-batch sent again after a crash skips
 * the rows its committed markers cover.
 *
 * <pre>{@code
 * BatchCommits commits = new BatchCommits("127.0.0.1:9092", "fink_distribution_commits", new Properties());
 * commits.ensureExists();
 * BatchCommits.Committed done = commits.committed(queryId, batchId, 0, Duration.ofSeconds(90));
 * boolean skip = done.covers("file:/science_db/night=2021-10-13/part-0.parquet", 1234);
 * }</pre>
 *
 * @param servers bootstrap servers
 * @param topic the commit-marker topic
 * @param clientProperties extra Kafka client settings (security)
 */
public record BatchCommits(String servers, String topic, Properties clientProperties) {
  /** Default name of the commits topic. */
  public static final String DEFAULT_NAME = "fink_distribution_commits";
  /** Markers are only needed until the batch they belong to is committed in the checkpoint; a week is ample. */
  private static final long RETENTION_MILLIS = Duration.ofDays(7).toMillis();
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

  /** The rows of science-database files whose messages are committed, for one micro-batch. */
  public record Committed(Map<String, List<long[]>> rowsByFile, long firstOffset) implements java.io.Serializable {
    /** Nothing committed. */
    public static final Committed NONE = new Committed(Map.of(), Long.MAX_VALUE);

    /** True when the row {@code row} of {@code file} was published in a committed transaction. */
    public boolean covers(String file, long row) {
      List<long[]> ranges = rowsByFile.get(file);
      if (ranges == null) {
        return false;
      }
      for (long[] range : ranges) {
        if (row >= range[0] && row <= range[1]) {
          return true;
        }
      }
      return false;
    }

    public boolean isEmpty() {
      return rowsByFile.isEmpty();
    }

    /** Number of committed file splits. */
    public int splits() {
      return rowsByFile.values().stream().mapToInt(List::size).sum();
    }
  }

  /** The marker of rows {@code firstRow..lastRow} of {@code file}, published in {@code batch} of {@code query}. */
  public ProducerRecord<byte[], byte[]> marker(String query, long batch, String file, long firstRow, long lastRow) {
    return new ProducerRecord<>(topic, 0, (query + "/" + batch + "/" + file).getBytes(StandardCharsets.UTF_8),
        (firstRow + "-" + lastRow).getBytes(StandardCharsets.UTF_8));
  }

  /** Creates the topic (one partition, a week of retention) unless it exists. */
  public void ensureExists() {
    TopicCreation.createIfMissing(servers, clientProperties, "the commits topic", topic,
        Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(RETENTION_MILLIS)), KafkaSetupException::new);
  }

  /** The offset after the last marker written so far (committed or not). */
  public long endOffset() {
    try (AdminRequests admin = admin()) {
      return end(admin, IsolationLevel.READ_UNCOMMITTED);
    }
  }

  /**
   * The markers of {@code batch} of {@code query} from offset {@code from} on. Waits first until no transaction is
   * open on the topic (so that every marker before the end is decided), at most {@code wait}: the transactions of a
   * crashed run stay open until their producer is fenced or Kafka aborts them ({@code transaction.timeout.ms}).
   */
  public Committed committed(String query, long batch, long from, Duration wait) {
    String prefix = query + "/" + batch + "/";
    long end = awaitDecided(wait);
    Map<String, List<long[]>> rows = new HashMap<>();
    long first = end;
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // assigned, no group: READ on the topic suffices
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, Math.max(from, consumer.beginningOffsets(List.of(partition)).get(partition)));
      long deadline = System.nanoTime() + wait.toNanos();
      while (consumer.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          throw new KafkaSetupException("timed out reading the commits topic " + topic + " on " + servers);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          if (record.offset() >= end || !key.startsWith(prefix) || record.value() == null) {
            continue;
          }
          String[] range = new String(record.value(), StandardCharsets.UTF_8).split("-", 2);
          rows.computeIfAbsent(key.substring(prefix.length()), f -> new ArrayList<>())
              .add(new long[] {Long.parseLong(range[0]), Long.parseLong(range[1])});
          first = Math.min(first, record.offset());
        }
      }
    }
    return new Committed(rows, first);
  }

  /**
   * Fences the transactional producers of a previous run ({@code initTransactions} with their ids): Kafka aborts
   * what they left open, at once instead of after their transaction timeout.
   */
  public void fence(List<String> transactionalIds) {
    for (String id : transactionalIds) {
      Properties props = new Properties();
      props.putAll(clientProperties);
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.initTransactions();
      }
    }
  }

  /** True when some transaction is still open on the topic. */
  public boolean hasOpenTransactions() {
    try (AdminRequests admin = admin()) {
      return end(admin, IsolationLevel.READ_COMMITTED) < end(admin, IsolationLevel.READ_UNCOMMITTED);
    }
  }

  private long awaitDecided(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try (AdminRequests admin = admin()) {
      while (true) {
        long stable = end(admin, IsolationLevel.READ_COMMITTED);
        long end = end(admin, IsolationLevel.READ_UNCOMMITTED);
        if (stable >= end) {
          return end;
        }
        if (System.nanoTime() > deadline) {
          throw new KafkaSetupException("a transaction is still open on the commits topic " + topic + " after "
              + wait.toSeconds() + " s; Kafka aborts it after the producer's transaction.timeout.ms: start again"
              + " then");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException("interrupted while reading the commits topic " + topic, e);
    }
  }

  private long end(AdminRequests admin, IsolationLevel isolation) {
    TopicPartition partition = new TopicPartition(topic, 0);
    return admin.await(admin.admin().listOffsets(Map.of(partition, OffsetSpec.latest()),
        new ListOffsetsOptions(isolation)).all(), "reading the end of the commits topic " + topic).get(partition)
        .offset();
  }

  private AdminRequests admin() {
    return AdminRequests.open(servers, clientProperties, ADMIN_TIMEOUT, KafkaSetupException::new);
  }
}
