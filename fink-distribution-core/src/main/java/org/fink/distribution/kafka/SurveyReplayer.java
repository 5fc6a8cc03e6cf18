package org.fink.distribution.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.schema.SurveySchemaCheck;

/**
 * Replays survey alert files to a Kafka topic in the survey's own message format, as the survey would send them:
 * ZTF, one Avro object container file per message (a file of many alerts is split, one container per alert); Rubin,
 * Confluent wire format ({@code 0x00}, 4-byte big-endian schema id, Avro record: wire files are sent as they are, a
 * container file's alerts get the schema id of their {@code lsst.vX_Y} namespace, {@code X*100+Y}). Each message's
 * Kafka timestamp is stamped when it is sent; the {@link ReplayPace} spaces them.
 *
 * <pre>{@code
 * List<SurveyReplayer.Message> alerts = SurveyReplayer.read(Path.of("alerts/"), Survey.ZTF);
 * SurveyReplayer.Report r = new SurveyReplayer("127.0.0.1:9092", new Properties())
 *     .replay(alerts, "ztf_alerts", ReplayPace.visits(10_000, Duration.ofSeconds(30)));
 * r.sentAt();   // alert id -> the Kafka timestamp of its message (epoch ms)
 * }</pre>
 */
public final class SurveyReplayer {
  private static final Pattern RUBIN_VERSION = Pattern.compile("lsst\\.v(\\d+)_(\\d+)");

  /**
   * One message to send.
   *
   * @param alertId the alert's id (ZTF candid, Rubin diaSourceId), null when unknown (a wire file is not decoded)
   */
  public record Message(byte[] value, String alertId) {}

  /**
   * What a replay sent.
   *
   * @param sentAt alert id -> the message's Kafka timestamp, in sending order (alerts of unknown id left out)
   * @param perVisit messages per visit (one entry without visits)
   */
  public record Report(long messages, List<Long> perVisit, Map<String, Long> sentAt) {}

  /** The clock and the waiting of a replay: the system's, or a test's. */
  public interface Time {
    Time SYSTEM = new Time() {
      @Override
      public long millis() {
        return System.currentTimeMillis();
      }

      @Override
      public void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
      }
    };

    long millis();

    void sleep(long millis) throws InterruptedException;
  }

  private final String servers;
  private final Properties clientProperties;
  private final Time time;

  /** @param clientProperties Kafka producer settings besides the servers (security...) */
  public SurveyReplayer(String servers, Properties clientProperties) {
    this(servers, clientProperties, Time.SYSTEM);
  }

  public SurveyReplayer(String servers, Properties clientProperties, Time time) {
    this.servers = servers;
    this.clientProperties = clientProperties;
    this.time = time;
  }

  /**
   * The messages of a file, or of every {@code *.avro} and {@code *.bin} file below a folder (sorted by name).
   *
   * @throws IllegalArgumentException naming the file that is not an alert file of the survey
   */
  public static List<Message> read(Path alerts, Survey survey) {
    List<Path> files;
    if (Files.isRegularFile(alerts)) {
      files = List.of(alerts);
    } else if (Files.isDirectory(alerts)) {
      try (Stream<Path> walk = Files.walk(alerts)) {
        files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".avro")
            || p.toString().endsWith(".bin")).sorted().toList();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot list " + alerts + ": " + e.getMessage(), e);
      }
    } else {
      throw new IllegalArgumentException("--alerts " + alerts + ": no such file or folder");
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--alerts " + alerts + ": no alert file (*.avro, *.bin) in it");
    }
    List<Message> messages = new ArrayList<>();
    for (Path file : files) {
      try {
        messages.addAll(messages(Files.readAllBytes(file), survey));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(file + " cannot be replayed as " + survey + " alerts: " + e.getMessage()
            + "; remove it from the folder or name another folder", e);
      }
    }
    return messages;
  }

  private static List<Message> messages(byte[] bytes, Survey survey) throws IOException {
    if (bytes.length >= 5 && bytes[0] == 0) {
      if (survey != Survey.RUBIN) {
        throw new IllegalArgumentException("a Confluent wire-format message, which ZTF does not send");
      }
      return List.of(new Message(bytes, null));
    }
    List<Message> messages = new ArrayList<>();
    try (DataFileStream<GenericRecord> in = new DataFileStream<>(new java.io.ByteArrayInputStream(bytes),
        new GenericDatumReader<>())) {
      Schema schema = in.getSchema();
      SurveySchemaCheck.problem(survey, schema).ifPresent(p -> {
        throw new IllegalArgumentException(p);
      });
      List<GenericRecord> records = new ArrayList<>();
      in.forEach(records::add);
      for (GenericRecord record : records) {
        String id = String.valueOf(field(record, survey.alertIdField()));
        byte[] value = survey == Survey.ZTF
            ? (records.size() == 1 ? bytes : container(schema, record))
            : wire(schema, record);
        messages.add(new Message(value, id));
      }
    }
    return messages;
  }

  private static Object field(GenericRecord record, String path) {
    Object value = record;
    for (String name : path.split("\\.")) {
      value = ((GenericRecord) value).get(name);
    }
    return value;
  }

  private static byte[] container(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
      writer.create(schema, out);
      writer.append(record);
    }
    return out.toByteArray();
  }

  private static byte[] wire(Schema schema, GenericRecord record) throws IOException {
    Matcher m = RUBIN_VERSION.matcher(schema.getNamespace() == null ? "" : schema.getNamespace());
    if (!m.matches()) {
      throw new IllegalArgumentException("its schema " + schema.getFullName() + " names no Rubin version");
    }
    int schemaId = Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /**
   * Sends the messages to {@code topic}, each at its time of the pace, its Kafka timestamp stamped at the send, and
   * waits until the broker has them all.
   *
   * @throws KafkaSetupException when the broker refuses a message (the first error, with its alert)
   */
  public Report replay(List<Message> messages, String topic, ReplayPace pace) throws InterruptedException {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 << 20));
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      return replay(producer, messages, topic, pace);
    }
  }

  Report replay(Producer<byte[], byte[]> producer, List<Message> messages, String topic, ReplayPace pace)
      throws InterruptedException {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Map<String, Long> sentAt = new LinkedHashMap<>();
    List<Long> perVisit = new ArrayList<>();
    long start = time.millis();
    for (int i = 0; i < messages.size(); i++) {
      long wait = start + pace.dueMillis(i) - time.millis();
      if (wait > 0) {
        producer.flush(); // the visit before leaves now, not with the next one
        time.sleep(wait);
      }
      if (failure.get() != null) {
        break;
      }
      Message message = messages.get(i);
      long timestamp = time.millis();
      producer.send(new ProducerRecord<>(topic, null, timestamp, null, message.value()), (meta, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
      });
      if (message.alertId() != null) {
        sentAt.put(message.alertId(), timestamp);
      }
      int visit = (int) pace.visitOf(i);
      while (perVisit.size() <= visit) {
        perVisit.add(0L);
      }
      perVisit.set(visit, perVisit.get(visit) + 1);
    }
    producer.flush();
    if (failure.get() != null) {
      throw new KafkaSetupException("the replay to topic " + topic + " on " + servers + " failed: "
          + failure.get().getMessage() + "; check that the topic exists and accepts messages of this size", failure.get());
    }
    return new Report(messages.size(), perVisit, sentAt);
  }
}
