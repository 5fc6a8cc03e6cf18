package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.AlertHeaders;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fink consume} against a real broker: exact --max-alerts, a night replayed with --since/--until as JSON
 * lines, a group resuming exactly after what it printed, duplicates dropped, bad times refused.
 */
class ConsumeCommandTest {
  /** Three nights of 10 alerts each, two days ago and around; plus one duplicate of the first alert. */
  private static final LocalDate NIGHT = LocalDate.now(ZoneOffset.UTC).minusDays(2);
  private static final Pattern ALERT_ID = Pattern.compile("\"alertId\":\"([^\"]+)\"");
  private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

  @TempDir
  static Path dir;
  static String servers;
  static String conf;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void broker() throws IOException {
    servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    Path file = dir.resolve("fink.conf");
    Files.write(file, List.of("DISTRIBUTION_SERVERS=" + servers, "DISTRIBUTION_SCHEMA_TOPIC="));
    conf = file.toString();
  }

  private static Run fink(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FinkCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("consume", "--conf", conf));
    all.addAll(List.of(args));
    int code = commandLine.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  /** A topic with 30 alerts in the Fink framing over three nights, the first one twice; returns its name. */
  private static String topic(int partitions, boolean duplicate) throws Exception {
    return topic("consume-" + UUID.randomUUID(), partitions, duplicate);
  }

  /** {@link #topic(int, boolean)} under a given name. */
  private static String topic(String topic, int partitions, boolean duplicate) throws Exception {
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, partitions, (short) 1);
    }
    SyntheticAlerts alerts = SyntheticAlerts.ztf(19);
    AlertCodec codec = AlertCodec.of(MessageFormat.FINK, alerts.schema());
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < 30; i++) {
        GenericRecord alert = alerts.next();
        Instant time = NIGHT.plusDays(i / 10 - 1).atTime(5, 0).toInstant(ZoneOffset.UTC).plusSeconds(i);
        RecordHeaders headers = new RecordHeaders();
        headers.add(AlertHeaders.ALERT_ID, ("alert-" + i).getBytes(StandardCharsets.UTF_8));
        byte[] value = codec.encode(alert);
        for (int copy = 0; copy < (duplicate && i == 0 ? 2 : 1); copy++) {
          producer.send(new ProducerRecord<>(topic, i % partitions, time.toEpochMilli(),
              codec.messageKey(null), value, headers)).get();
        }
      }
    }
    return topic;
  }

  private static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static long tableRows(String out) {
    long headers = out.lines().filter(l -> l.startsWith("|") && l.contains("offset |")).count();
    return out.lines().filter(l -> l.startsWith("|")).count() - headers;
  }

  @Test
  void printsExactlyMaxAlertsAsATable() throws Exception {
    String topic = topic(2, true);
    Run run = fink("--topic", topic, "--from-beginning", "--max-alerts", "7");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(7, tableRows(run.out()), run.out());
    assertTrue(run.out().contains("objectId"), run.out());
    assertTrue(run.out().contains("7 alerts read from " + topic), run.out());
  }

  @Test
  void replaysANightAsJsonLinesWithoutDuplicates() throws Exception {
    String topic = topic(2, true);
    Run night = fink("--topic", topic, "--since", NIGHT.toString(), "--until", NIGHT + "T23:59:59Z", "--json");
    assertEquals(0, night.exitCode(), night.err());
    List<String> ids = all(ALERT_ID, night.out());
    assertEquals(10, ids.size(), night.out());
    for (int i = 10; i < 20; i++) {
      assertTrue(ids.contains("alert-" + i), ids.toString());
    }
    assertTrue(night.out().lines().filter(l -> l.startsWith("{")).allMatch(l -> l.contains("\"alert\":{\"")),
        night.out());

    Run everything = fink("--topic", topic, "--from-beginning", "--until", NIGHT.plusDays(2).toString(), "--json");
    assertEquals(0, everything.exitCode(), everything.err());
    List<String> all = all(ALERT_ID, everything.out());
    assertEquals(30, all.size(), "the first alert's second copy is dropped: " + everything.out());
    assertEquals(30, all.stream().distinct().count());
    assertTrue(everything.out().contains("1 duplicates dropped"), everything.out());
  }

  @Test
  void aGroupResumesExactlyAfterWhatItPrinted() throws Exception {
    String topic = topic(1, false);
    String group = "consume-group-" + UUID.randomUUID();
    Run first = fink("--topic", topic, "--group", group, "--max-alerts", "12", "--json");
    assertEquals(0, first.exitCode(), first.err());
    assertEquals(12, all(OFFSET, first.out()).size(), first.out());
    Run rest = fink("--topic", topic, "--group", group, "--until", NIGHT.plusDays(2).toString(), "--json");
    assertEquals(0, rest.exitCode(), rest.err());
    List<String> offsets = all(OFFSET, rest.out());
    assertEquals(18, offsets.size(), rest.out());
    assertEquals("12", offsets.get(0));
    assertEquals("29", offsets.get(17));
  }

  @Test
  void latestSkipsWhatIsThere() throws Exception {
    String topic = topic(2, false);
    Run run = fink("--topic", topic, "--latest", "--until", NIGHT.plusDays(2).toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().strip().endsWith("0 alerts read from " + topic), run.out());
  }

  @Test
  void aTopicPatternReadsTheMatchingTopicsButNotTheirSchemaTopics() throws Exception {
    String prefix = "fink-" + UUID.randomUUID().toString().substring(0, 8);
    String a = topic(prefix + "_early_sn", 2, false);
    String b = topic(prefix + "_kn", 1, false);
    String other = topic("other-" + prefix, 1, false);
    // what a distribution in the fink framing writes beside its topics; the pattern matches these names
    new org.fink.distribution.kafka.FinkSchemaTopic(servers, new Properties())
        .publish(a, SyntheticAlerts.ztf(19).schema());
    Run run = fink("--topic-pattern", prefix + "_.*", "--from-beginning", "--until", NIGHT.plusDays(2).toString(),
        "--json");
    assertEquals(0, run.exitCode(), run.err());
    List<String> ids = all(ALERT_ID, run.out());
    assertEquals(60, ids.size(), "30 alerts of each matching topic: " + run.out());
    assertTrue(run.out().contains("60 alerts read from " + a + ", " + b), run.out());
    assertTrue(!run.out().contains(other) && !run.out().contains("_schema") && !run.out().contains("undecodable"),
        run.out());

    Run bad = fink("--topic-pattern", "fink_(.*");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--topic-pattern 'fink_(.*' is not a regular expression: Unclosed group"),
        bad.err());
  }

  @Test
  void aBadTimeIsAUsageErrorNamingTheForms() {
    Run run = fink("--since", "yesterday");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("'yesterday' is not a time: give an ISO instant"), run.err());
    Run both = fink("--latest", "--from-beginning");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
  }

  /** Every alert in the download folder's files (hidden temporary files left out, as Spark and pyarrow do). */
  private static List<GenericRecord> downloaded(Path folder) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avro")).toList()) {
        try (org.apache.avro.file.DataFileReader<GenericRecord> reader = new org.apache.avro.file.DataFileReader<>(
            file.toFile(), new org.apache.avro.generic.GenericDatumReader<>())) {
          reader.forEach(records::add);
        }
      }
    }
    return records;
  }

  @Test
  void downloadsExactlyOnceAcrossARunKilledBeforeItsCommit() throws Exception {
    String topic = topic(2, false);
    String group = "download-" + UUID.randomUUID();
    Path folder = dir.resolve("download-" + group);
    Run first = fink("--topic", topic, "--group", group, "--max-alerts", "12", "--output", folder.toString());
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("12 alerts written to " + folder), first.out());
    assertEquals(12, downloaded(folder).size());
    // a run killed after its files were renamed but before the group committed, and one killed while writing
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.applyOffsetReset(admin.planOffsetReset(group, topic, org.fink.kafka.admin.OffsetReset.toEarliest()));
    }
    Path night = folder.resolve(topic).resolve("night=" + NIGHT.minusDays(1));
    Files.writeString(night.resolve("." + topic + "-0-12-14.avro.tmp"), "half a file");

    Run rest = fink("--topic", topic, "--group", group, "--until", NIGHT.plusDays(2).toString(), "--output",
        folder.toString());
    assertEquals(0, rest.exitCode(), rest.err());
    List<GenericRecord> all = downloaded(folder);
    assertEquals(30, all.size(), "rows = alerts of the topic, whatever the restarts");
    assertEquals(30, all.stream().map(r -> r.get("candid")).distinct().count(), "none twice");
    for (int day = -1; day <= 1; day++) {
      assertTrue(Files.isDirectory(folder.resolve(topic).resolve("night=" + NIGHT.plusDays(day))), folder.toString());
    }

    Path json = dir.resolve("json-" + group);
    Run lines = fink("--topic", topic, "--from-beginning", "--until", NIGHT.plusDays(2).toString(), "--output",
        json.toString(), "--format", "json");
    assertEquals(0, lines.exitCode(), lines.err());
    long count;
    try (java.util.stream.Stream<Path> files = Files.walk(json)) {
      count = files.filter(f -> f.toString().endsWith(".jsonl")).mapToLong(f -> {
        try {
          return Files.readAllLines(f).size();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    }
    assertEquals(30, count);
  }

  /** {@code v1} with the top-level field publisher removed, fink_score added, and candidate.new_flag added. */
  private static org.apache.avro.Schema secondVersion(org.apache.avro.Schema v1) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(v1.toString());
    com.fasterxml.jackson.databind.node.ArrayNode fields = (com.fasterxml.jackson.databind.node.ArrayNode) root.get(
        "fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).get("name").asText().equals("publisher")) {
        fields.remove(i);
        break;
      }
    }
    fields.add(json.readTree("{\"name\":\"fink_score\",\"type\":[\"null\",\"double\"],\"default\":null}"));
    for (com.fasterxml.jackson.databind.JsonNode field : fields) {
      if (field.get("name").asText().equals("candidate")) {
        com.fasterxml.jackson.databind.JsonNode type = field.get("type");
        com.fasterxml.jackson.databind.JsonNode record = type.isArray() ? type.get(1) : type;
        ((com.fasterxml.jackson.databind.node.ArrayNode) record.get("fields")).add(
            json.readTree("{\"name\":\"new_flag\",\"type\":[\"null\",\"int\"],\"default\":null}"));
      }
    }
    return new org.apache.avro.Schema.Parser().parse(json.writeValueAsString(root));
  }

  /** {@code alert} in {@code v2} (Avro schema resolution), fink_score and candidate.new_flag set to {@code i}. */
  private static GenericRecord inSecondVersion(GenericRecord alert, org.apache.avro.Schema v2, int i)
      throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
    new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(alert.getSchema()).write(alert, encoder);
    encoder.flush();
    GenericRecord v2Alert = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(alert.getSchema(), v2)
        .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    v2Alert.put("fink_score", (double) i);
    ((GenericRecord) v2Alert.get("candidate")).put("new_flag", i);
    return v2Alert;
  }

  /**
   * A topic whose schema gains a field (top level and nested) and loses one: 10 alerts of v1 the first night, v1 and
   * v2 alternating the second, 10 of v2 the third; in the fink framing (the key is each alert's schema).
   */
  private static String twoVersionTopic() throws Exception {
    String topic = "versions-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 2, (short) 1);
    }
    SyntheticAlerts alerts = SyntheticAlerts.ztf(19);
    org.apache.avro.Schema v2 = secondVersion(alerts.schema());
    AlertCodec first = AlertCodec.of(MessageFormat.FINK, alerts.schema());
    AlertCodec second = AlertCodec.of(MessageFormat.FINK, v2);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < 30; i++) {
        Instant time = NIGHT.plusDays(i / 10 - 1).atTime(5, 0).toInstant(ZoneOffset.UTC).plusSeconds(i);
        boolean secondVersion = i >= 20 || (i >= 10 && i % 2 == 1);
        AlertCodec codec = secondVersion ? second : first;
        GenericRecord alert = alerts.next();
        byte[] value = codec.encode(secondVersion ? inSecondVersion(alert, v2, i) : alert);
        RecordHeaders headers = new RecordHeaders();
        headers.add(AlertHeaders.ALERT_ID, ("alert-" + i).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, i % 2, time.toEpochMilli(), codec.messageKey(null), value,
            headers)).get();
      }
    }
    return topic;
  }

  @Test
  void parquetOfTwoSchemaVersionsReadsAsOneTableWithTheMergedSchema() throws Exception {
    String topic = twoVersionTopic();
    Path folder = dir.resolve("versions-" + topic);
    // the first run sees only the first version; the second run adds the second to what is on disk
    Run first = fink("--topic", topic, "--from-beginning", "--max-alerts", "10", "--output", folder.toString(),
        "--format", "parquet");
    assertEquals(0, first.exitCode(), first.err());
    Run rest = fink("--topic", topic, "--from-beginning", "--until", NIGHT.plusDays(2).toString(), "--output",
        folder.toString(), "--format", "parquet");
    assertEquals(0, rest.exitCode(), rest.err());
    assertTrue(rest.out().contains("20 alerts written"), rest.out());

    org.apache.spark.sql.SparkSession spark = org.fink.distribution.spark.FinkSparkSession
        .getOrCreate("local[2]", "fink-consume");
    // no option: the schema comes from _common_metadata, not from the first file (which is of the first version)
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows = spark.read()
        .parquet(folder.resolve(topic).toString());
    String schema = rows.schema().treeString();
    assertEquals(30, rows.count(), "rows = messages");
    assertEquals(30, rows.select("candid").distinct().count());
    assertEquals(15, rows.where("publisher IS NOT NULL").count(), "the first version's field: " + schema);
    assertEquals(15, rows.where("fink_score IS NOT NULL").count(), "the second version's field: " + schema);
    assertEquals(15, rows.where("candidate.new_flag IS NOT NULL").count(), "a nested field of the second: " + schema);
    assertEquals(0, rows.where("(publisher IS NULL) = (fink_score IS NULL)").count(),
        "each row has the fields of its version, null for the other's");
    assertEquals(0, rows.where("fink_score IS NOT NULL AND candidate.new_flag <> CAST(fink_score AS INT)").count());
    assertEquals(30, rows.where("candidate.jd IS NOT NULL AND objectId IS NOT NULL").count(), "common fields kept");
    List<org.apache.spark.sql.Row> nights = rows.groupBy("night").count().orderBy("night").collectAsList();
    assertEquals(3, nights.size(), schema);
    assertEquals(NIGHT.minusDays(1), ((java.sql.Date) nights.get(0).get(0)).toLocalDate(), "night is a date column");
    assertEquals(List.of(10L, 10L, 10L), nights.stream().map(r -> r.getLong(1)).toList());
    // a night with both versions reads the same
    assertEquals(5, rows.where("night = DATE'" + NIGHT + "' AND fink_score IS NOT NULL").count());

    // the merged Avro schema beside the files reads an Avro download of the topic as one table too
    Path avro = dir.resolve("versions-avro-" + topic);
    Run avroRun = fink("--topic", topic, "--from-beginning", "--until", NIGHT.plusDays(2).toString(), "--output",
        avro.toString());
    assertEquals(0, avroRun.exitCode(), avroRun.err());
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> avroRows = spark.read().format("avro")
        .option("avroSchema", Files.readString(avro.resolve(topic).resolve("_schema.avsc")))
        .load(avro.resolve(topic).toString());
    assertEquals(30, avroRows.count());
    assertEquals(15, avroRows.where("fink_score IS NOT NULL").count());
    assertEquals(15, avroRows.where("publisher IS NOT NULL").count());
    assertEquals(3, avroRows.select("night").distinct().count());
  }

  @Test
  void downloadsParquetThatSparkReadsWithTheNightAsAColumn() throws Exception {
    String topic = topic(2, false);
    Path folder = dir.resolve("parquet-" + topic);
    Run first = fink("--topic", topic, "--from-beginning", "--max-alerts", "5", "--output", folder.toString(),
        "--format", "parquet");
    assertEquals(0, first.exitCode(), first.err());
    Run rest = fink("--topic", topic, "--from-beginning", "--until", NIGHT.plusDays(2).toString(), "--output",
        folder.toString(), "--format", "parquet");
    assertEquals(0, rest.exitCode(), rest.err());
    assertTrue(rest.out().contains("25 alerts written"), "resumed after the 5 on disk: " + rest.out());
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows = org.fink.distribution.spark.FinkSparkSession
        .getOrCreate("local[2]", "fink-consume").read().parquet(folder.resolve(topic).toString());
    assertEquals(30, rows.count());
    assertEquals(30, rows.select("candid").distinct().count());
    assertEquals(3, rows.select("night").distinct().count(), rows.schema().treeString());
  }
}
