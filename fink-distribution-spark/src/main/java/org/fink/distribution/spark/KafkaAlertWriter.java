package org.fink.distribution.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;
import org.fink.distribution.kafka.BatchCommits;
import org.fink.distribution.kafka.ObjectPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each micro-batch of routed alerts ({@link StreamFanOut.Routing}) to Kafka: every alert's content is
 * encoded once per stream schema, straight from Spark's rows into Avro ({@link AvroRowWriter}), framed, and sent to
 * each stream that takes it, with the message key and headers. In the Fink framing the key is the stream's schema,
 * and the partition is chosen here from the object id ({@link ObjectPartitions}). A batch ends only when Kafka acknowledged every message
 * of it (a failed send fails the batch, which is then sent again: at least once).
 */
final class KafkaAlertWriter implements VoidFunction2<Dataset<Row>, Long> {
  private static final long serialVersionUID = 1L;
  /** Room left in a Kafka request for the record batch header, the key and the headers. */
  static final int RECORD_OVERHEAD = 1024;
  /** The local property through which Spark names the streaming query running a batch. */
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertWriter.class);

  private final Plan plan;
  private final LongAccumulator[] messages;
  private final LongAccumulator bytes;
  private final transient DistributionProgress progress;
  /** Exactly-once mode: whether this run checked its first batch against the commit markers of a previous run. */
  private transient boolean replayChecked;

  /** What the executors need: serializable, built once on the driver. */
  private record Plan(Map<String, Object> producer, MessageFormat format, List<String> topics, List<String> streams,
      int[] maxBytes, int[] schemaOfStream, List<String> schemaJson, List<StructType> shapes,
      List<String> fingerprints, String commitsTopic, int sourceColumn) implements Serializable {}

  /**
   * @param commitsTopic the topic of commit markers in exactly-once mode (the routed rows then carry their source
   *     columns); null: at least once
   */
  KafkaAlertWriter(SparkSession spark, StreamFanOut.Routing routing, String servers, Map<String, String> options,
      MessageFormat format, String commitsTopic, DistributionProgress progress) {
    Map<String, Object> producer = new HashMap<>(options);
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    List<String> topics = new ArrayList<>();
    List<String> streams = new ArrayList<>();
    int[] maxBytes = new int[routing.outputs().size()];
    for (int i = 0; i < routing.outputs().size(); i++) {
      StreamFanOut.Output output = routing.outputs().get(i);
      topics.add(output.topic());
      streams.add(output.stream().name());
      maxBytes[i] = output.maxMessageBytes() - RECORD_OVERHEAD;
    }
    this.plan = new Plan(producer, format, topics, streams, maxBytes, routing.schemaOfStream(),
        routing.schemas().stream().map(Schema::toString).toList(), routing.shapes(),
        routing.schemas().stream().map(s -> SchemaFingerprint.hex(SchemaFingerprint.of(s))).toList(),
        commitsTopic, routing.sourceColumn());
    this.messages = new LongAccumulator[topics.size()];
    for (int i = 0; i < topics.size(); i++) {
      messages[i] = spark.sparkContext().longAccumulator("fink messages " + streams.get(i));
    }
    this.bytes = spark.sparkContext().longAccumulator("fink bytes");
    this.progress = progress;
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    long[] before = counts();
    long bytesBefore = bytes.value();
    Plan p = plan;
    LongAccumulator[] sent = messages;
    LongAccumulator size = bytes;
    TransactionalTask.Batch transactional = plan.commitsTopic() == null ? null : transactionalBatch(batch, batchId);
    batch.queryExecution().toRdd().toJavaRDD()
        .foreachPartition(rows -> publish(p, transactional, rows, sent, size));
    long[] after = counts();
    Map<String, Long> perTopic = new LinkedHashMap<>();
    for (int i = 0; i < after.length; i++) {
      perTopic.merge(plan.topics().get(i), after[i] - before[i], Long::sum);
    }
    progress.published(batchId, perTopic, bytes.value() - bytesBefore);
  }

  /**
   * Exactly-once mode: what the tasks of this batch need. The first batch of a run may be one that a crashed run had
   * begun: its producers are fenced (Kafka aborts what they left open), and the file splits whose transaction
   * committed are skipped.
   */
  private TransactionalTask.Batch transactionalBatch(Dataset<Row> batch, long batchId) {
    String query = batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    BatchCommits commits = TransactionalTask.commits(plan.producer(), plan.commitsTopic());
    if (replayChecked) {
      return new TransactionalTask.Batch(query, batchId, BatchCommits.Committed.NONE, commits.endOffset());
    }
    if (commits.hasOpenTransactions()) {
      int partitions = batch.queryExecution().toRdd().getNumPartitions();
      LOG.info("fencing the producers of a previous run ({} partitions) so that Kafka aborts their open transactions",
          partitions);
      commits.fence(IntStream.range(0, partitions).mapToObj(i -> TransactionalTask.transactionalId(query, i))
          .toList());
    }
    BatchCommits.Committed committed = commits.committed(query, batchId, 0, TransactionalTask.DECIDED_WAIT);
    if (!committed.isEmpty()) {
      LOG.info("batch {} is sent again after a restart: {} file splits of it are already in Kafka and skipped",
          batchId, committed.splits());
    }
    replayChecked = true;
    return new TransactionalTask.Batch(query, batchId, committed, committed.firstOffset());
  }

  private long[] counts() {
    long[] counts = new long[messages.length];
    for (int i = 0; i < messages.length; i++) {
      counts[i] = messages[i].value();
    }
    return counts;
  }

  /**
   * Sends one partition of a batch; returns once Kafka acknowledged all of it (exactly once: committed its
   * transaction), or fails.
   */
  private static void publish(Plan plan, TransactionalTask.Batch transactional, Iterator<InternalRow> rows,
      LongAccumulator[] sent, LongAccumulator size) {
    TransactionalTask transaction = transactional == null ? null
        : TransactionalTask.begin(plan.producer(), plan.commitsTopic(), transactional);
    KafkaProducer<byte[], byte[]> producer =
        transaction == null ? KafkaProducers.get(plan.producer()) : transaction.producer();
    Acknowledgements acks = new Acknowledgements(
        String.valueOf(plan.producer().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)));
    try {
      send(plan, transaction, rows, producer, acks, sent, size);
    } catch (RuntimeException e) {
      if (transaction != null) {
        transaction.abort();
      }
      throw e;
    } finally {
      KafkaWaitLog.done(acks);
    }
  }

  private static void send(Plan plan, TransactionalTask transaction, Iterator<InternalRow> rows,
      KafkaProducer<byte[], byte[]> producer, Acknowledgements acks, LongAccumulator[] sent, LongAccumulator size) {
    int streams = plan.topics().size();
    int schemas = plan.schemaJson().size();
    AvroRowWriter[] writers = new AvroRowWriter[schemas];
    AlertCodec[] framers = new AlertCodec[schemas];
    byte[][] prefixes = new byte[schemas][];
    byte[][] schemaKeys = new byte[schemas][];
    int[] fields = new int[schemas];
    boolean fink = plan.format() == MessageFormat.FINK;
    boolean reframed = plan.format() == MessageFormat.AVRO_CONTAINER || plan.format() == MessageFormat.JSON;
    for (int g = 0; g < schemas; g++) {
      Schema schema = new Schema.Parser().parse(plan.schemaJson().get(g));
      writers[g] = AvroRowWriter.of(schema, plan.shapes().get(g));
      fields[g] = plan.shapes().get(g).fields().length;
      AlertCodec codec = AlertCodec.of(plan.format(), schema);
      // the record is written straight after the framing's prefix; a container or JSON frames the written record
      prefixes[g] = reframed ? new byte[0] : codec.recordPrefix();
      framers[g] = reframed ? codec : null;
      schemaKeys[g] = fink ? AlertCodec.schemaKey(schema) : null;
    }
    int[] partitions = new int[streams];
    int roundRobin = 0;
    AvroBytes buffer = new AvroBytes(256 * 1024);
    long[] count = new long[streams];
    long total = 0;
    byte[][] encoded = new byte[schemas][];
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      if (transaction != null && transaction.alreadyPublished(row, plan.sourceColumn())) {
        continue;
      }
      byte[] key = row.isNullAt(0) ? null : row.getUTF8String(0).getBytes();
      String alertId = row.isNullAt(1) ? null : row.getUTF8String(1).toString();
      java.util.Arrays.fill(encoded, null);
      for (int i = 0; i < streams; i++) {
        if (!row.getBoolean(2 + i)) {
          continue;
        }
        int g = plan.schemaOfStream()[i];
        if (encoded[g] == null) {
          buffer.reset();
          buffer.writeRaw(prefixes[g]);
          writers[g].write(row.getStruct(2 + streams + g, fields[g]), buffer);
          encoded[g] = framers[g] == null ? buffer.toByteArray() : framers[g].frame(buffer.toByteArray());
        }
        byte[] value = encoded[g];
        byte[] messageKey = fink ? schemaKeys[g] : key;
        // waiting from here: the partition lookup and send() itself block (max.block.ms) while Kafka is down
        acks.sent();
        Integer partition = null;
        if (fink) {
          if (partitions[i] == 0) {
            partitions[i] = partitionCount(producer, plan.topics().get(i), acks.servers());
          }
          byte[] object = key != null ? key
              : alertId != null ? alertId.getBytes(StandardCharsets.UTF_8) : null;
          partition = object != null ? ObjectPartitions.of(object, partitions[i]) : roundRobin++ % partitions[i];
        }
        if (value.length + (fink ? messageKey.length : 0) > plan.maxBytes()[i]) {
          throw new IllegalStateException("alert " + (alertId == null ? "?" : alertId) + " is " + value.length
              + " bytes once encoded for topic " + plan.topics().get(i) + ", more than it takes ("
              + plan.maxBytes()[i] + "): raise the topic's max.message.bytes and the producer's max.request.size,"
              + " or drop fields from stream " + plan.streams().get(i));
        }
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(plan.topics().get(i), partition, messageKey, value);
        record.headers().add(new RecordHeader(AlertHeaders.STREAM,
            plan.streams().get(i).getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader(AlertHeaders.SCHEMA_FINGERPRINT,
            plan.fingerprints().get(g).getBytes(StandardCharsets.UTF_8)));
        if (alertId != null) {
          record.headers().add(new RecordHeader(AlertHeaders.ALERT_ID, alertId.getBytes(StandardCharsets.UTF_8)));
        }
        producer.send(record, acks);
        count[i]++;
        total += value.length;
      }
      if (acks.failure() != null) {
        break;
      }
    }
    if (transaction != null && acks.failure() == null) {
      transaction.commit(acks);
    }
    Exception failure = acks.awaitAll();
    if (failure instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
      throw new KafkaUnansweredException(acks.servers(), acks.failedWaitingSince(), timeout);
    }
    if (failure != null) {
      throw new IllegalStateException("Kafka refused a message: " + failure.getMessage(), failure);
    }
    for (int i = 0; i < streams; i++) {
      sent[i].add(count[i]);
    }
    size.add(total);
  }

  /** The partitions of {@code topic}; Kafka's metadata timeout (max.block.ms) becomes a {@link KafkaUnansweredException}. */
  private static int partitionCount(KafkaProducer<byte[], byte[]> producer, String topic, String servers) {
    long since = System.currentTimeMillis();
    try {
      return producer.partitionsFor(topic).size();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new KafkaUnansweredException(servers, since, e);
    }
  }

  /**
   * The acknowledgements of one task's messages. A task waits for its own messages only, not (as
   * {@code KafkaProducer.flush()} would) for every message that the executor's other tasks have queued meanwhile: a
   * flush makes each task wait for the whole producer buffer to drain and cuts the other tasks' batches short.
   */
  private static final class Acknowledgements implements Callback, KafkaWaitLog.Waiting {
    private final String servers;
    private long pending;
    private Exception failure;
    /** When the oldest message still waiting for its acknowledgement was sent, roughly (epoch ms). */
    private long waitingSince;
    /** {@link #waitingSince} when the first failure came. */
    private long failedWaitingSince;

    Acknowledgements(String servers) {
      this.servers = servers;
    }

    synchronized void sent() {
      if (pending++ == 0) {
        waitingSince = System.currentTimeMillis();
        KafkaWaitLog.waiting(this);
      }
    }

    @Override
    public String servers() {
      return servers;
    }

    @Override
    public synchronized long sinceEpochMillis() {
      return waitingSince;
    }

    @Override
    public synchronized long unacknowledged() {
      return pending;
    }

    @Override
    public synchronized void onCompletion(RecordMetadata metadata, Exception e) {
      if (e != null && failure == null) {
        failure = e;
        failedWaitingSince = waitingSince;
      }
      if (--pending == 0) {
        KafkaWaitLog.done(this);
        notifyAll();
      } else {
        waitingSince = System.currentTimeMillis(); // Kafka answered: whatever waits now waits since now
      }
    }

    synchronized Exception failure() {
      return failure;
    }

    synchronized long failedWaitingSince() {
      return failedWaitingSince;
    }

    /**
     * Waits until Kafka answered every message sent (the producer answers each one within its delivery.timeout.ms);
     * returns the first failure, if any. An interrupted wait (the task is being killed) ends the task unacknowledged.
     */
    synchronized Exception awaitAll() {
      while (pending > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          throw new InterruptException(e);
        }
      }
      return failure;
    }
  }
}
