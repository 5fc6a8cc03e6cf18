package org.fink.distribution.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fink.distribution.KafkaProblem;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertCodecException;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.DecodedAlert;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.MessageFormats;
import org.fink.distribution.schema.SchemaFolderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads distributed alerts with plain Kafka clients, no Spark: recognizes each message's framing
 * ({@link MessageFormats}), finds its writer schema (the key of a Fink message; else by fingerprint in local
 * {@code .avsc} files, then the schema topic), decodes it (into the caller's reader schema when given, with Avro schema
 * resolution), drops duplicates by alert id within a topic (an alert of two streams stays in both), and skips a
 * corrupt message with a logged, counted error.
 *
 * <pre>{@code
 * try (AlertConsumer consumer = AlertConsumer.builder()
 *     .servers("127.0.0.1:9092").topics("fink_outstream").groupId("my-science")
 *     .schemaFolder(Path.of("schemas")).build()) {
 *   for (ConsumedAlert a : consumer.poll(Duration.ofSeconds(1))) {
 *     System.out.println(a.alert().get("objectId"));
 *   }
 * }
 * }</pre>
 */
public final class AlertConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);
  /** How long to wait before asking the schema topic again about the same unknown fingerprint. */
  private static final Duration SCHEMA_TOPIC_RETRY = Duration.ofSeconds(10);
  /** How long polls may stay unanswered before the port is probed for a TLS/plaintext mismatch. */
  private static final Duration UNANSWERED_CHECK = Duration.ofSeconds(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AlertCodec.Decoder decoder;
  private final RecentIds recentIds;
  private final AtomicLong decoded = new AtomicLong();
  private final AtomicLong corrupt = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final String servers;
  private final String protocol;
  private final UnansweredClientCheck unanswered;
  private final StartPosition start;
  private final Map<TopicPartition, Long> startOffsets;
  /** Partitions already placed at {@link #start}: a later rebalance keeps their position. */
  private final Set<TopicPartition> started = new HashSet<>();

  private AlertConsumer(Builder b) {
    Properties props = new Properties();
    props.putAll(b.clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.servers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, b.fromBeginning ? "earliest" : "latest");
    props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
    // messages of an exactly-once distribution are visible once their transaction commits; others at once
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.servers = b.servers;
    this.protocol = props.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    this.unanswered = new UnansweredClientCheck(servers, protocol, UNANSWERED_CHECK);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<SchemaStore> stores = new ArrayList<>(b.stores);
    if (b.schemaTopic != null) {
      stores.add(new SchemaTopicStore(new SchemaTopic(b.servers, b.schemaTopic, b.clientProperties),
          SCHEMA_TOPIC_RETRY));
    }
    SchemaStore writers = fingerprint -> stores.stream().map(s -> s.findByFingerprint(fingerprint))
        .filter(Objects::nonNull).findFirst().orElse(null);
    this.decoder = AlertCodec.decoder(writers, b.readerSchema,
        "give the stream's .avsc file or access to the schema topic (searched: " + stores + ")");
    this.recentIds = new RecentIds(b.dedupeWindow);
    this.start = b.start;
    this.startOffsets = Map.copyOf(b.startOffsets);
    ConsumerRebalanceListener placeNewPartitions = new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = partitions.stream().filter(started::add).toList();
        seek(fresh.stream().filter(tp -> !startOffsets.containsKey(tp)).toList(), start);
        fresh.stream().filter(startOffsets::containsKey).forEach(tp -> consumer.seek(tp, startOffsets.get(tp)));
      }

      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    };
    if (b.topicPattern == null) {
      consumer.subscribe(b.topics, placeNewPartitions);
    } else {
      consumer.subscribe(subscription(b.topics, b.topicPattern, b.schemaTopic), placeNewPartitions);
    }
  }

  /**
   * One pattern for the named topics (matched as they are) and the topics whose whole name matches {@code regex},
   * side topics excepted: {@code <topic>_schema} of the fink framing and the schema topic.
   */
  static Pattern subscription(List<String> names, String regex, String schemaTopic) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      text.append(Pattern.quote(name)).append('|');
    }
    text.append("(?!.*").append(Pattern.quote(FinkSchemaTopic.SUFFIX)).append("$)");
    if (schemaTopic != null) {
      text.append("(?!").append(Pattern.quote(schemaTopic)).append("$)");
    }
    return Pattern.compile(text.append("(?:").append(regex).append(')').toString());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The alerts that arrived within {@code timeout}, corrupt messages and duplicates left out.
   *
   * @throws KafkaSetupException when the client's TLS settings do not fit the broker (another CA, an expired
   *     certificate, another host name), or when Kafka has not answered for 10 s because this client speaks TLS to a
   *     plaintext port or plaintext to a TLS port; the message says which and how to fix it
   */
  public List<ConsumedAlert> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(timeout);
    } catch (SslAuthenticationException e) {
      throw new KafkaSetupException(new KafkaProblem(KafkaProblem.Kind.TLS_MISMATCH, TlsFailure.explain(e, servers,
          protocol).orElse("the TLS handshake with " + servers + " failed: " + KafkaErrors.rootMessage(e)), servers,
          null, null), e);
    }
    Optional<String> mismatch = unanswered.afterPoll(!records.isEmpty() || !consumer.assignment().isEmpty());
    if (mismatch.isPresent()) {
      throw new KafkaSetupException(new KafkaProblem(KafkaProblem.Kind.TLS_MISMATCH, mismatch.get(), servers, null,
          null), null);
    }
    List<ConsumedAlert> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Optional<ConsumedAlert> alert = decode(record);
      if (alert.isEmpty()) {
        continue;
      }
      if (alert.get().alertId() != null && !recentIds.add(alert.get().topic() + "\n" + alert.get().alertId())) {
        duplicates.incrementAndGet();
        continue;
      }
      decoded.incrementAndGet();
      out.add(alert.get());
    }
    return out;
  }

  private Optional<ConsumedAlert> decode(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      return skip(record, "empty message");
    }
    MessageFormat format = MessageFormats.detect(record.key(), value);
    OptionalLong fingerprint = format == MessageFormat.AVRO_RAW || format == MessageFormat.JSON
        ? headerFingerprint(record) : OptionalLong.empty();
    if (format == MessageFormat.AVRO_RAW && fingerprint.isEmpty()) {
      return skip(record, "raw Avro message without a " + AlertHeaders.SCHEMA_FINGERPRINT
          + " header: its schema is unknown");
    }
    try {
      DecodedAlert decoded = decoder.decode(record.key(), value, format, fingerprint);
      return Optional.of(new ConsumedAlert(record.topic(), record.partition(), record.offset(),
          record.key() == null || format == MessageFormat.FINK ? null
              : new String(record.key(), StandardCharsets.UTF_8),
          header(record, AlertHeaders.ALERT_ID), header(record, AlertHeaders.STREAM), decoded.writerFingerprint(),
          format, decoded.alert(), Instant.ofEpochMilli(record.timestamp())));
    } catch (AlertCodecException e) {
      return skip(record, e.getMessage());
    } catch (RuntimeException e) {
      return skip(record, format.label() + " message does not decode: " + e);
    }
  }

  private static OptionalLong headerFingerprint(ConsumerRecord<byte[], byte[]> record) {
    String hex = header(record, AlertHeaders.SCHEMA_FINGERPRINT);
    if (hex == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(hex, 16));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private Optional<ConsumedAlert> skip(ConsumerRecord<byte[], byte[]> record, String reason) {
    corrupt.incrementAndGet();
    LOG.warn("skipped message {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
    return Optional.empty();
  }

  /**
   * Moves every partition assigned now to {@code position} (the builder's {@link Builder#startAt} does it for each
   * partition when it is first assigned).
   *
   * <pre>{@code
   * consumer.poll(Duration.ofSeconds(1));                                   // partitions get assigned
   * consumer.seek(StartPosition.since(StreamTime.parse("2026-11-30")));    // replay that night
   * }</pre>
   */
  public void seek(StartPosition position) {
    seek(consumer.assignment(), position);
  }

  private void seek(Collection<TopicPartition> partitions, StartPosition position) {
    if (partitions.isEmpty()) {
      return;
    }
    switch (position.kind()) {
      case COMMITTED -> { }
      case BEGINNING -> consumer.seekToBeginning(partitions);
      case LATEST -> consumer.seekToEnd(partitions);
      case SINCE -> {
        Map<TopicPartition, Long> query = new LinkedHashMap<>();
        partitions.forEach(tp -> query.put(tp, position.time().toEpochMilli()));
        List<TopicPartition> none = new ArrayList<>();
        consumer.offsetsForTimes(query).forEach((tp, found) -> {
          if (found == null) {
            none.add(tp);
          } else {
            consumer.seek(tp, found.offset());
          }
        });
        if (!none.isEmpty()) {
          consumer.seekToEnd(none); // an empty list would mean every assigned partition
        }
      }
      default -> throw new IllegalStateException(position.kind().name());
    }
  }

  /**
   * Messages behind the end of each assigned partition (empty before the first {@link #poll} assigned partitions).
   *
   * <pre>{@code
   * consumer.lag().forEach((partition, behind) -> System.out.println(partition + ": " + behind + " behind"));
   * }</pre>
   */
  public Map<TopicPartition, Long> lag() {
    Map<TopicPartition, Long> lag = new LinkedHashMap<>();
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    end.forEach((tp, last) -> lag.put(tp, Math.max(0, last - consumer.position(tp))));
    return lag;
  }

  /** Commits the offsets of what {@link #poll} returned. */
  public void commit() {
    consumer.commitSync();
  }

  /**
   * Commits the group's offsets just after the given alerts, per partition: with {@code enable.auto.commit=false},
   * alerts polled but not handled (beyond a limit) are read again by the group's next run.
   *
   * <pre>{@code
   * List<ConsumedAlert> handled = consumer.poll(Duration.ofSeconds(1)).subList(0, 10);
   * consumer.commit(handled);
   * }</pre>
   */
  public void commit(Collection<ConsumedAlert> handled) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    for (ConsumedAlert a : handled) {
      TopicPartition tp = new TopicPartition(a.topic(), a.partition());
      OffsetAndMetadata next = new OffsetAndMetadata(a.offset() + 1);
      offsets.merge(tp, next, (x, y) -> x.offset() >= y.offset() ? x : y);
    }
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
  }

  /**
   * The topics read: the names given, and those a {@link Builder#topicPattern} matched so far (empty before the first
   * {@link #poll} with a pattern).
   */
  public Set<String> topics() {
    return new TreeSet<>(consumer.subscription());
  }

  /** Alerts returned so far. */
  public long decoded() {
    return decoded.get();
  }

  /** Messages skipped because they could not be decoded. */
  public long corrupt() {
    return corrupt.get();
  }

  /** Messages dropped because an alert of the same id was returned recently. */
  public long duplicates() {
    return duplicates.get();
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** The last {@code capacity} alert ids seen. */
  private static final class RecentIds {
    private final Map<String, Boolean> ids;

    RecentIds(int capacity) {
      this.ids = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > capacity;
        }
      };
    }

    /** False when the id was seen within the window. */
    boolean add(String id) {
      return ids.put(id, Boolean.TRUE) == null;
    }
  }

  /** Settings of an {@link AlertConsumer}; servers and topics (names or a pattern) are required. */
  public static final class Builder {
    private String servers;
    private List<String> topics = List.of();
    private String topicPattern;
    private String groupId = "fink-consumer-" + UUID.randomUUID();
    private final Properties clientProperties = new Properties();
    private final List<SchemaStore> stores = new ArrayList<>();
    private String schemaTopic = SchemaTopic.DEFAULT_NAME;
    private Schema readerSchema;
    private int dedupeWindow = 100_000;
    private boolean fromBeginning = true;
    private StartPosition start = StartPosition.committed();
    private Map<TopicPartition, Long> startOffsets = Map.of();

    private Builder() {}

    public Builder servers(String servers) {
      this.servers = servers;
      return this;
    }

    public Builder topics(String... topics) {
      this.topics = List.of(topics);
      return this;
    }

    /**
     * Also reads every topic whose whole name matches {@code regex} ({@link java.util.regex.Pattern} syntax; inline
     * flags such as {@code (?i)} work), now and as topics appear (Kafka looks for new ones every
     * {@code metadata.max.age.ms}, 5 minutes by default). Side topics never match: names ending in {@code _schema}
     * (the fink framing's {@code <topic>_schema}, which hold schemas, not alerts), the {@link #schemaTopic} and
     * Kafka's internal topics; a name given to {@link #topics} is read whatever it is. A separate setting, not a guess
     * from the characters of a name, because a topic name may contain a dot.
     *
     * <pre>{@code
     * AlertConsumer.builder().servers(servers).topicPattern("fink_.*").groupId("my-science").build();
     * // reads fink_early_sn_candidates and fink_kn_candidates, never fink_kn_candidates_schema
     * }</pre>
     *
     * @throws java.util.regex.PatternSyntaxException when {@code regex} is not a regular expression
     */
    public Builder topicPattern(String regex) {
      Pattern.compile(regex);
      this.topicPattern = regex;
      return this;
    }

    /** Consumer group (default: a new one, so every run reads from its start position). */
    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    /**
     * The login and encryption of a configuration ({@code KafkaSecurity.of(config)}: SASL_PLAINTEXT, or SASL_SSL
     * with the CA of {@code DISTRIBUTION_SSL_CA_FILE}).
     */
    public Builder security(org.fink.distribution.config.KafkaSecurity security) {
      clientProperties.putAll(security.clientProperties());
      return this;
    }

    /** A Kafka consumer setting (security, fetch sizes...). */
    public Builder clientProperty(String key, String value) {
      clientProperties.put(key, value);
      return this;
    }

    /** Writer schemas to look in (after those added before) before asking the schema topic. */
    public Builder schemaStore(SchemaStore store) {
      stores.add(store);
      return this;
    }

    /** Adds every {@code .avsc} file of a folder to the schemas known before asking the schema topic. */
    public Builder schemaFolder(java.nio.file.Path folder) {
      return schemaStore(new SchemaFolderStore(folder));
    }

    /** The schema topic to ask about unknown fingerprints; null: only local schemas. */
    public Builder schemaTopic(String name) {
      this.schemaTopic = name;
      return this;
    }

    /** Decode into this schema (Avro schema resolution from each writer schema); default: the writer schema. */
    public Builder readerSchema(Schema schema) {
      this.readerSchema = schema;
      return this;
    }

    /** How many recent alert ids to remember to drop duplicates (0: keep duplicates). */
    public Builder dedupeWindow(int ids) {
      this.dedupeWindow = ids;
      return this;
    }

    /** Where a new consumer group starts: the beginning of the topics (default) or their end. */
    public Builder fromBeginning(boolean fromBeginning) {
      this.fromBeginning = fromBeginning;
      return this;
    }

    /**
     * Where to start each partition when it is first assigned (default: the group's committed offset, else as
     * {@link #fromBeginning} says).
     *
     * <pre>{@code
     * builder.startAt(StartPosition.since(StreamTime.parse("2026-11-30T21:00:00Z")));
     * builder.startAt(StartPosition.latest());
     * }</pre>
     */
    public Builder startAt(StartPosition start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /**
     * Exact offsets to start these partitions at, whatever {@link #startAt} says (for instance where the files of an
     * {@link AlertDownload} end).
     *
     * <pre>{@code
     * builder.startOffsets(new AlertDownload(Path.of("alerts"), AlertDownload.Format.AVRO).resumeOffsets());
     * }</pre>
     */
    public Builder startOffsets(Map<TopicPartition, Long> offsets) {
      this.startOffsets = Map.copyOf(offsets);
      return this;
    }

    public AlertConsumer build() {
      Objects.requireNonNull(servers, "servers");
      if (topics.isEmpty() && topicPattern == null) {
        throw new IllegalArgumentException("name at least one topic or give a topic pattern");
      }
      return new AlertConsumer(this);
    }
  }
}
