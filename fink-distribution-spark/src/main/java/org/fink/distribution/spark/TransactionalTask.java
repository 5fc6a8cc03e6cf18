package org.fink.distribution.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.fink.distribution.kafka.BatchCommits;

/**
 * One publishing task in exactly-once mode: its messages and the commit markers of the file splits it read go in one
 * Kafka transaction, with a producer whose {@code transactional.id} is the query's and the task's partition (a new
 * attempt fences the previous one). Rows that a committed marker covers (a batch sent again after a crash, or a task
 * retried after its transaction committed) are skipped.
 */
final class TransactionalTask {
  /** How long a task waits for the transactions of a previous attempt to be decided. */
  static final Duration DECIDED_WAIT = Duration.ofSeconds(90);

  /** What every task of a micro-batch needs, built on the driver. */
  record Batch(String query, long batchId, BatchCommits.Committed committed, long fromOffset)
      implements Serializable {}

  /** One file split read by this task: the rows it published. */
  private static final class Split {
    final String file;
    long firstRow = Long.MAX_VALUE;
    long lastRow = Long.MIN_VALUE;

    Split(String file) {
      this.file = file;
    }
  }

  private final Batch batch;
  private final Map<String, Object> settings;
  private final KafkaProducer<byte[], byte[]> producer;
  private final BatchCommits.Committed committed;
  private final BatchCommits commits;
  private final Map<String, Split> splits = new LinkedHashMap<>();
  private UTF8String lastFile;
  private long lastSplitStart = -1;
  private Split current;
  private long skipped;

  private TransactionalTask(Batch batch, Map<String, Object> settings, KafkaProducer<byte[], byte[]> producer,
      BatchCommits.Committed committed, BatchCommits commits) {
    this.batch = batch;
    this.settings = settings;
    this.producer = producer;
    this.committed = committed;
    this.commits = commits;
  }

  /** The transactional id of partition {@code partition} of query {@code query}. */
  static String transactionalId(String query, int partition) {
    return "fink-" + query + "-" + partition;
  }

  /** The commit markers' topic, reached with the servers and security settings of the producer. */
  static BatchCommits commits(Map<String, Object> producerSettings, String commitsTopic) {
    return new BatchCommits((String) producerSettings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), commitsTopic,
        DistributionOptions.clientProperties(producerSettings));
  }

  /** Begins the transaction of the current Spark task. */
  static TransactionalTask begin(Map<String, Object> producerSettings, String commitsTopic, Batch batch) {
    TaskContext task = TaskContext.get();
    Map<String, Object> settings = new HashMap<>(producerSettings);
    settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(batch.query(), task.partitionId()));
    KafkaProducer<byte[], byte[]> producer = KafkaProducers.get(settings);
    BatchCommits commits = commits(producerSettings, commitsTopic);
    BatchCommits.Committed committed = batch.committed();
    if (task.attemptNumber() > 0) {
      // an earlier attempt of this task may have committed before it was lost
      committed = merge(committed, commits.committed(batch.query(), batch.batchId(), batch.fromOffset(),
          DECIDED_WAIT));
    }
    try {
      producer.beginTransaction();
    } catch (KafkaException e) {
      KafkaProducers.discard(settings);
      throw e;
    }
    return new TransactionalTask(batch, settings, producer, committed, commits);
  }

  KafkaProducer<byte[], byte[]> producer() {
    return producer;
  }

  /**
   * Notes where {@code row} comes from ({@code source} = index of its file column, then split start and row index);
   * returns true when a committed transaction already published it.
   */
  boolean alreadyPublished(InternalRow row, int source) {
    UTF8String file = row.getUTF8String(source);
    long splitStart = row.getLong(source + 1);
    long index = row.getLong(source + 2);
    if (!file.equals(lastFile) || splitStart != lastSplitStart) {
      lastFile = file.clone();
      lastSplitStart = splitStart;
      String path = file.toString();
      current = splits.computeIfAbsent(path + "@" + splitStart, k -> new Split(path));
    }
    if (!committed.isEmpty() && committed.covers(current.file, index)) {
      skipped++;
      return true;
    }
    current.firstRow = Math.min(current.firstRow, index);
    current.lastRow = Math.max(current.lastRow, index);
    return false;
  }

  /** Rows skipped because a committed transaction already published them. */
  long skipped() {
    return skipped;
  }

  /** Writes the markers of the splits read and commits: the messages become visible with them. */
  void commit(Callback acks) {
    for (Split split : splits.values()) {
      if (split.firstRow <= split.lastRow) {
        producer.send(commits.marker(batch.query(), batch.batchId(), split.file, split.firstRow, split.lastRow),
            acks);
      }
    }
    producer.commitTransaction();
    KafkaProducers.release(settings);
  }

  /** Aborts the transaction after a failure; a producer that cannot abort (fenced, or in error) is closed. */
  void abort() {
    try {
      producer.abortTransaction();
      KafkaProducers.release(settings);
    } catch (RuntimeException e) {
      KafkaProducers.discard(settings);
    }
  }

  private static BatchCommits.Committed merge(BatchCommits.Committed a, BatchCommits.Committed b) {
    Map<String, List<long[]>> rows = new HashMap<>();
    a.rowsByFile().forEach((f, r) -> rows.computeIfAbsent(f, k -> new ArrayList<>()).addAll(r));
    b.rowsByFile().forEach((f, r) -> rows.computeIfAbsent(f, k -> new ArrayList<>()).addAll(r));
    return new BatchCommits.Committed(rows, Math.min(a.firstOffset(), b.firstOffset()));
  }
}
