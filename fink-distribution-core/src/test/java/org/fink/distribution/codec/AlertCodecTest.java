package org.fink.distribution.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.Test;

class AlertCodecTest {

  /** One real alert: the file it came from, its writer schema and the record. */
  private record Alert(Path file, Schema writer, GenericRecord record) {}

  private static final java.util.Map<String, List<Alert>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private static List<Alert> alerts(String folder) {
    Path dir = SharedData.require(folder);
    return CACHE.computeIfAbsent(folder, f -> load(dir));
  }

  private static List<Alert> load(Path dir) {
    List<Alert> alerts = new ArrayList<>();
    for (Path file : SharedData.avroFiles(dir)) {
      SharedData.Container container = SharedData.readContainer(file);
      for (GenericRecord record : container.records()) {
        alerts.add(new Alert(file, container.writer(), record));
      }
    }
    return alerts;
  }

  private static byte[] binary(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected \"" + part + "\" in: " + message);
    }
  }

  private static void roundTripEveryFormat(List<Alert> alerts) throws IOException {
    for (Alert alert : alerts) {
      String at = alert.file().getFileName().toString();
      byte[] raw = binary(alert.writer(), alert.record());
      for (MessageFormat format : MessageFormat.values()) {
        AlertCodec codec = AlertCodec.of(format, alert.writer());
        assertEquals(format, codec.format());
        assertEquals(alert.writer(), codec.schema());
        byte[] value = codec.encode(alert.record());
        GenericRecord back = codec.decode(value);
        assertEquals(alert.record(), back, at + " " + format);
        assertTrue(GenericData.get().validate(alert.writer(), back), at + " " + format);
        assertArrayEquals(value, codec.frame(raw), at + " " + format + ": frame(raw binary) == encode(record)");
        switch (format) {
          case AVRO_RAW -> assertArrayEquals(raw, value, at);
          case FINK -> {
            assertArrayEquals(raw, value, at + ": the value is the bare record");
            byte[] key = codec.messageKey("ZTF18abc".getBytes(StandardCharsets.UTF_8));
            assertEquals(alert.writer(), new Schema.Parser().parse(new String(key, StandardCharsets.UTF_8)), at);
            assertEquals(MessageFormat.FINK, MessageFormats.detect(key, value), at);
            DecodedAlert decoded = AlertCodec.decoder(store(), null, "-")
                .decode(key, value, MessageFormat.FINK, OptionalLong.empty());
            assertEquals(alert.record(), decoded.alert(), at + ": the key alone gives the schema");
            assertEquals(SchemaFingerprint.of(alert.writer()), decoded.writerFingerprint(), at);
          }
          case JSON -> {
            assertEquals('{', value[0], at);
            assertEquals(MessageFormat.JSON, MessageFormats.detect(null, value), at);
            assertArrayEquals(raw, codec.unframe(value), at);
          }
          case AVRO_SINGLE_OBJECT -> {
            assertEquals((byte) 0xC3, value[0], at);
            assertEquals((byte) 0x01, value[1], at);
            long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(SchemaNormalization.parsingFingerprint64(alert.writer()), fingerprint, at);
            assertArrayEquals(raw, Arrays.copyOfRange(value, 10, value.length), at);
          }
          case AVRO_CONTAINER -> {
            try (DataFileStream<GenericRecord> stream =
                new DataFileStream<>(new ByteArrayInputStream(value), new GenericDatumReader<>())) {
              assertEquals(alert.writer(), stream.getSchema(), at);
              assertTrue(stream.hasNext(), at);
              assertEquals(alert.record(), stream.next(), at);
              assertFalse(stream.hasNext(), at + ": one record per message");
            }
          }
          default -> throw new IllegalStateException(format.toString());
        }
      }
    }
  }

  @Test
  void everyRealZtfAlertRoundTripsInEveryFormat() throws IOException {
    List<Alert> alerts = alerts("ztf/alerts");
    assertEquals(388, alerts.size());
    assertTrue(alerts.stream().allMatch(a -> ((ByteBuffer) ((GenericRecord) a.record().get("cutoutScience"))
        .get("stampData")).remaining() > 0 || a.record().get("cutoutScience") == null));
    roundTripEveryFormat(alerts);
  }

  @Test
  void realLsstAlertRoundTripsInEveryFormat() throws IOException {
    List<Alert> alerts = alerts("lsst/alerts/container");
    assertFalse(alerts.isEmpty());
    roundTripEveryFormat(alerts);
  }

  @Test
  void realRubinWireMessagesRoundTripInEveryFormat() throws IOException {
    java.nio.file.Path wire = SharedData.require("lsst/alerts/kafka-wire");
    org.fink.distribution.schema.SchemaFolder schemas =
        new org.fink.distribution.schema.SchemaFolder(SharedData.require("lsst/schema"));
    List<Alert> alerts = new ArrayList<>();
    try (var files = java.nio.file.Files.list(wire)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".bin")).sorted().toList()) {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        assertEquals(0, bytes[0], "Confluent wire format magic byte");
        Schema writer = schemas.forSchemaId(ByteBuffer.wrap(bytes, 1, 4).getInt());
        var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        GenericRecord record = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(writer)
            .read(null, decoder);
        assertTrue(decoder.isEnd(), "no bytes left after the record");
        alerts.add(new Alert(file, writer, record));
      }
    }
    assertEquals(3, alerts.size());
    roundTripEveryFormat(alerts);
  }

  @Test
  void encodingIsDeterministic() {
    Alert alert = alerts("ztf/alerts").get(0);
    for (MessageFormat format : MessageFormat.values()) {
      AlertCodec codec = AlertCodec.of(format, alert.writer());
      assertArrayEquals(codec.encode(alert.record()), AlertCodec.of(format, alert.writer()).encode(alert.record()),
          format.toString());
    }
  }

  @Test
  void singleObjectWithAnotherSchemaNamesBothFingerprints() {
    Schema ztf31 = SharedData.ztfSchema("3.1");
    Schema ztf33 = SharedData.ztfSchema("3.3");
    Alert alert = alerts("ztf/alerts").stream()
        .filter(a -> SchemaNormalization.parsingFingerprint64(a.writer())
            == SchemaNormalization.parsingFingerprint64(ztf33))
        .findFirst().orElseThrow();
    byte[] value = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, ztf33).encode(alert.record());
    AlertCodecException e = assertThrows(AlertCodecException.class,
        () -> AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, ztf31).decode(value));
    assertContains(e.getMessage(), SchemaFingerprint.hex(SchemaFingerprint.of(ztf33)),
        SchemaFingerprint.hex(SchemaFingerprint.of(ztf31)));
    assertNotEquals(SchemaFingerprint.of(ztf31), SchemaFingerprint.of(ztf33));
  }

  @Test
  void rawWithAnotherSchemaIsAnErrorNotAWrongRecord() {
    Schema ztf31 = SharedData.ztfSchema("3.1");
    Schema ztf33 = SharedData.ztfSchema("3.3");
    Alert alert = alerts("ztf/alerts").stream()
        .filter(a -> SchemaFingerprint.of(a.writer()) == SchemaFingerprint.of(ztf33))
        .findFirst().orElseThrow();
    byte[] value = AlertCodec.of(MessageFormat.AVRO_RAW, ztf33).encode(alert.record());
    assertThrows(AlertCodecException.class, () -> AlertCodec.of(MessageFormat.AVRO_RAW, ztf31).decode(value));
  }

  @Test
  void garbageIsAnAlertCodecException() {
    Alert alert = alerts("ztf/alerts").get(0);
    List<byte[]> garbage = new ArrayList<>();
    garbage.add(new byte[0]);
    garbage.add("this is not an Avro message".getBytes(StandardCharsets.UTF_8));
    garbage.add(new byte[] {(byte) 0xC3, 0x01, 1, 2});
    for (MessageFormat format : MessageFormat.values()) {
      byte[] value = AlertCodec.of(format, alert.writer()).encode(alert.record());
      garbage.add(Arrays.copyOf(value, value.length / 2));
      garbage.add(Arrays.copyOf(value, 12));
      byte[] trailing = Arrays.copyOf(value, value.length + 3);
      if (format != MessageFormat.AVRO_CONTAINER) {
        garbage.add(trailing);
      }
    }
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      byte[] bytes = new byte[1 + random.nextInt(300)];
      random.nextBytes(bytes);
      garbage.add(bytes);
    }
    for (MessageFormat format : MessageFormat.values()) {
      AlertCodec codec = AlertCodec.of(format, alert.writer());
      for (byte[] bytes : garbage) {
        if (format == MessageFormat.AVRO_SINGLE_OBJECT && bytes.length > 10) {
          // also garbage behind a valid header
          byte[] framed = codec.frame(Arrays.copyOfRange(bytes, 10, bytes.length));
          assertDecodeFails(codec, framed);
        }
        assertDecodeFails(codec, bytes);
      }
    }
  }

  /** Avro's zig-zag varint of a long. */
  private static byte[] varint(long n) {
    long z = (n << 1) ^ (n >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((z & ~0x7FL) != 0) {
      out.write((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    out.write((int) z);
    return out.toByteArray();
  }

  /** {@code bytes} with {@code length} bytes at {@code at} replaced by {@code insert}. */
  private static byte[] splice(byte[] bytes, int at, int length, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, at);
    out.write(insert, 0, insert.length);
    out.write(bytes, at + length, bytes.length - at - length);
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void corruptLengthsAreAnAlertCodecExceptionNotAnOutOfMemoryError() throws IOException {
    Alert alert = alerts("ztf/alerts").get(0);
    byte[] raw = binary(alert.writer(), alert.record());
    // The record starts with the string schemavsn ("3.x": one length byte); claim it is 2 GB long.
    byte[] huge = varint(Integer.MAX_VALUE - 8);
    assertArrayEquals(varint(alert.record().get("schemavsn").toString().length()), Arrays.copyOf(raw, 1));
    for (MessageFormat format : MessageFormat.values()) {
      if (format == MessageFormat.JSON) {
        continue; // no binary lengths; AlertJsonTest
      }
      AlertCodec codec = AlertCodec.of(format, alert.writer());
      byte[] value = codec.encode(alert.record());
      int start = indexOf(value, Arrays.copyOf(raw, 64));
      assertDecodeFails(codec, splice(value, start, 1, huge));
    }
    AlertCodec container = AlertCodec.of(MessageFormat.AVRO_CONTAINER, alert.writer());
    byte[] value = container.encode(alert.record());
    // header: "Obj" 1, metadata map (block count, then key length...): claim a 2 GB key
    assertTrue(value[5] == varint("avro.schema".length())[0] || value[5] == varint("avro.codec".length())[0]);
    assertDecodeFails(container, splice(value, 5, 1, huge));
    // block: record count, block size, data: claim a 2 GB block
    int start = indexOf(value, Arrays.copyOf(raw, 64));
    byte[] size = varint(raw.length);
    assertArrayEquals(size, Arrays.copyOfRange(value, start - size.length, start));
    assertDecodeFails(container, splice(value, start - size.length, size.length, huge));
  }

  @Test
  void singleObjectIsAvrosOwnEncodingByteForByte() throws IOException {
    for (Alert alert : alerts("ztf/alerts").subList(0, 20)) {
      byte[] raw = binary(alert.writer(), alert.record());
      byte[] avros = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), alert.writer())
          .encode(alert.record()).array();
      byte[] today = new byte[SchemaFingerprint.HEADER_LENGTH + raw.length];
      System.arraycopy(SchemaFingerprint.singleObjectHeader(alert.writer()), 0, today, 0, 10);
      System.arraycopy(raw, 0, today, 10, raw.length);
      assertArrayEquals(today, avros, "C3 01, fingerprint little-endian, record");
      AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, alert.writer());
      assertArrayEquals(today, codec.encode(alert.record()));
      assertArrayEquals(today, codec.frame(raw));
      assertEquals(alert.record(),
          new BinaryMessageDecoder<GenericRecord>(GenericData.get(), alert.writer()).decode(codec.frame(raw)));
      assertArrayEquals(raw, codec.unframe(today));
      assertArrayEquals(Arrays.copyOf(today, 10), codec.recordPrefix());
    }
  }

  /** The writer schema with only some of its top-level fields: what an older or narrower consumer reads with. */
  private static Schema narrower(Schema writer, String... keep) {
    List<Schema.Field> fields = new ArrayList<>();
    for (String name : keep) {
      fields.add(new Schema.Field(writer.getField(name), writer.getField(name).schema()));
    }
    return Schema.createRecord(writer.getName(), null, writer.getNamespace(), false, fields);
  }

  @Test
  void decodesIntoAReaderSchemaInEveryFormat() {
    Alert alert = alerts("ztf/alerts").get(0);
    Schema reader = narrower(alert.writer(), "objectId", "candid");
    for (MessageFormat format : MessageFormat.values()) {
      byte[] value = AlertCodec.of(format, alert.writer()).encode(alert.record());
      GenericRecord back = AlertCodec.of(format, alert.writer(), reader).decode(value);
      assertEquals(reader, back.getSchema(), format.toString());
      assertEquals(alert.record().get("objectId"), back.get("objectId"), format.toString());
      assertEquals(alert.record().get("candid"), back.get("candid"), format.toString());
      DecodedAlert decoded = AlertCodec.decoder(store(alert.writer()), reader, "-")
          .decode(value, format, OptionalLong.of(SchemaFingerprint.of(alert.writer())));
      assertEquals(back, decoded.alert(), format.toString());
      assertEquals(SchemaFingerprint.of(alert.writer()), decoded.writerFingerprint(), format.toString());
    }
  }

  private static SchemaStore store(Schema... schemas) {
    SchemaStore.Cache store = new SchemaStore.Cache();
    Arrays.stream(schemas).forEach(store::addSchema);
    return store;
  }

  @Test
  void decoderFindsEachWriterSchemaInItsStoreAndNamesWhatItLacks() {
    Schema ztf31 = SharedData.ztfSchema("3.1");
    Schema ztf33 = SharedData.ztfSchema("3.3");
    Alert alert = alerts("ztf/alerts").stream()
        .filter(a -> SchemaFingerprint.of(a.writer()) == SchemaFingerprint.of(ztf33)).findFirst().orElseThrow();
    AlertCodec.Decoder both = AlertCodec.decoder(store(ztf31, ztf33), null, "give the .avsc file");
    AlertCodec.Decoder only31 = AlertCodec.decoder(store(ztf31), null, "give the .avsc file");
    long fingerprint = SchemaFingerprint.of(ztf33);
    for (MessageFormat format : MessageFormat.values()) {
      byte[] value = AlertCodec.of(format, ztf33).encode(alert.record());
      DecodedAlert decoded = both.decode(value, format, OptionalLong.of(fingerprint));
      assertEquals(alert.record(), decoded.alert(), format.toString());
      assertEquals(fingerprint, decoded.writerFingerprint(), format.toString());
      if (format != MessageFormat.AVRO_CONTAINER) {
        AlertCodecException e = assertThrows(AlertCodecException.class,
            () -> only31.decode(value, format, OptionalLong.of(fingerprint)), format.toString());
        assertContains(e.getMessage(), SchemaFingerprint.hex(fingerprint), "give the .avsc file");
      }
    }
    byte[] raw = AlertCodec.of(MessageFormat.AVRO_RAW, ztf33).encode(alert.record());
    AlertCodecException e = assertThrows(AlertCodecException.class,
        () -> both.decode(raw, MessageFormat.AVRO_RAW, OptionalLong.empty()));
    assertContains(e.getMessage(), AlertHeaders.SCHEMA_FINGERPRINT);
  }

  @Test
  void corruptMessagesFailAsAlertCodecExceptionsThroughTheStoreDecoderToo() throws IOException {
    Alert alert = alerts("ztf/alerts").get(0);
    byte[] raw = binary(alert.writer(), alert.record());
    long fingerprint = SchemaFingerprint.of(alert.writer());
    AlertCodec.Decoder decoder = AlertCodec.decoder(store(alert.writer()), null, "-");
    Random random = new Random(7);
    for (MessageFormat format : MessageFormat.values()) {
      if (format == MessageFormat.JSON) {
        continue; // no binary lengths; AlertJsonTest
      }
      byte[] value = AlertCodec.of(format, alert.writer()).encode(alert.record());
      int start = indexOf(value, Arrays.copyOf(raw, 64));
      List<byte[]> corrupt = new ArrayList<>();
      corrupt.add(splice(value, start, 1, varint(Integer.MAX_VALUE - 8)));
      corrupt.add(Arrays.copyOf(value, value.length / 2));
      corrupt.add(Arrays.copyOf(value, start + 3));
      for (int i = 0; i < 200; i++) {
        // flip bits in the record's first bytes (lengths, union branches): never a silent wrong alert or an OOM
        byte[] flipped = value.clone();
        flipped[start + random.nextInt(Math.min(200, value.length - start))] ^= (byte) (1 << random.nextInt(8));
        try {
          decoder.decode(flipped, format, OptionalLong.of(fingerprint));
        } catch (AlertCodecException expected) {
          assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
      }
      for (byte[] bytes : corrupt) {
        AlertCodecException e = assertThrows(AlertCodecException.class,
            () -> decoder.decode(bytes, format, OptionalLong.of(fingerprint)), format + ": " + bytes.length);
        assertContains(e.getMessage(), format == MessageFormat.AVRO_CONTAINER ? "container" : format.label());
      }
    }
  }

  private static void assertDecodeFails(AlertCodec codec, byte[] bytes) {
    AlertCodecException e = assertThrows(AlertCodecException.class, () -> codec.decode(bytes),
        () -> codec.format() + ": " + bytes.length + " bytes");
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }

  @Test
  void singleObjectHeaderIsMarkerAndLittleEndianFingerprint() {
    Schema schema = SharedData.ztfSchema("4.02");
    byte[] header = SchemaFingerprint.singleObjectHeader(schema);
    assertEquals(SchemaFingerprint.HEADER_LENGTH, header.length);
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    byte[] expected = new byte[10];
    expected[0] = (byte) 0xC3;
    expected[1] = 0x01;
    for (int i = 0; i < 8; i++) {
      expected[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    assertArrayEquals(expected, header);
    assertEquals(fingerprint, SchemaFingerprint.read(header));
    assertEquals(16, SchemaFingerprint.hex(fingerprint).length());
    assertEquals(String.format("%016x", fingerprint), SchemaFingerprint.hex(fingerprint));
    AlertCodecException e = assertThrows(AlertCodecException.class, () -> SchemaFingerprint.read(new byte[] {1}));
    assertContains(e.getMessage(), "C3 01", "DISTRIBUTION_FORMAT");
  }

  @Test
  void encodingARecordThatDoesNotFitTheSchemaIsAnAlertCodecException() {
    Alert alert = alerts("ztf/alerts").get(0);
    GenericRecord broken = new GenericData.Record(alert.writer());
    AlertCodecException e = assertThrows(AlertCodecException.class,
        () -> AlertCodec.of(MessageFormat.AVRO_RAW, alert.writer()).encode(broken));
    assertContains(e.getMessage(), "ztf.alert");
  }
}
