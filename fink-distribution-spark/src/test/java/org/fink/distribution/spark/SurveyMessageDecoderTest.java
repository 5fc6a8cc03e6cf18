package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.fink.distribution.sample.SyntheticAlerts;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Survey messages into bodies and alert ids, without Spark: good containers, and every kind of bad message. */
class SurveyMessageDecoderTest {
  @TempDir Path work;
  final SurveyMessageDecoder ztf = new SurveyMessageDecoder(Survey.ZTF, Map.of());

  @Test
  void aContainerOfOneAlertGivesItsBlockAsTheBodyAndItsCandid() throws Exception {
    Path file = SyntheticAlerts.ztf(7).writeContainerFiles(work, 1, 1).get(0);
    GenericRecord alert = read(file).get(0);
    List<Row> rows = decode(ztf, Files.readAllBytes(file));
    assertEquals(1, rows.size());
    Row row = rows.get(0);
    assertNull(row.get(7), "no error");
    assertEquals(alert.get("candid"), row.get(8));
    assertTrue(row.getString(5).contains("\"ztf\""), "the schema on the partition's first row");
    GenericRecord decoded = new GenericDatumReader<GenericRecord>(alert.getSchema())
        .read(null, DecoderFactory.get().binaryDecoder((byte[]) row.get(6), null));
    assertEquals(alert, decoded, "the body is the record's Avro binary");
  }

  @Test
  void containersOfManyAlertsOrCompressedAreSplitIntoTheirRecords() throws Exception {
    List<GenericRecord> alerts = read(SyntheticAlerts.ztf(8).writeContainerFiles(work, 3, 3).get(0));
    for (CodecFactory codec : List.of(CodecFactory.nullCodec(), CodecFactory.deflateCodec(1))) {
      List<Row> rows = decode(ztf, container(alerts, codec));
      assertEquals(3, rows.size(), codec.toString());
      for (int i = 0; i < 3; i++) {
        assertEquals(alerts.get(i).get("candid"), rows.get(i).get(8));
        assertNull(rows.get(i).get(7));
      }
    }
  }

  @Test
  void badMessagesBecomeOneRowWithTheirReasonAndBytes() throws Exception {
    byte[] good = Files.readAllBytes(SyntheticAlerts.ztf(9).writeContainerFiles(work, 1, 1).get(0));
    byte[] truncated = Arrays.copyOf(good, good.length - 100);
    byte[] flipped = good.clone();
    flipped[flipped.length - 5] ^= 0x55; // inside the sync marker that closes the block
    Map<String, byte[]> bad = Map.of("empty", new byte[0], "junk", "hello".getBytes(), "truncated", truncated,
        "sync", flipped, "wire", new byte[] {0, 0, 0, 2, (byte) 0xC0, 1, 2});
    for (Map.Entry<String, byte[]> message : bad.entrySet()) {
      List<Row> rows = decode(ztf, message.getValue());
      assertEquals(1, rows.size(), message.getKey());
      assertTrue(rows.get(0).getString(7) != null && !rows.get(0).getString(7).isBlank(), message.getKey());
      assertArrayEquals(message.getValue(), (byte[]) rows.get(0).get(6), "the message's own bytes are kept");
      assertNull(rows.get(0).get(8));
    }
    assertTrue(decode(ztf, truncated).get(0).getString(7).startsWith("is damaged"), "truncated");
    assertTrue(decode(ztf, flipped).get(0).getString(7).contains("sync marker"), "sync");
    assertTrue(decode(ztf, bad.get("wire")).get(0).getString(7).contains("schema id 704"), "wire without folder");
  }

  @Test
  void wireSchemasMissingFromTheFolderComeFromTheSchemaRegistry() throws Exception {
    Path lsst = SharedData.require("lsst");
    Path wire = SurveyIngest.alertFiles(lsst.resolve("alerts/kafka-wire")).get(0);
    String v74 = new org.fink.distribution.schema.SchemaFolder(lsst.resolve("schema")).forSchemaId(704).toString();
    com.sun.net.httpserver.HttpServer registry = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    registry.createContext("/schemas/ids/", exchange -> {
      String id = exchange.getRequestURI().getPath().replaceAll(".*/", "");
      byte[] body = "704".equals(id) ? new com.fasterxml.jackson.databind.ObjectMapper()
          .writeValueAsBytes(Map.of("schema", v74)) : "{\"error_code\":40403}".getBytes();
      int status = "704".equals(id) ? 200 : "999".equals(id) ? 503 : 404;
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    registry.start();
    try {
      String url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/";
      SurveyMessageDecoder rubin = new SurveyMessageDecoder(Survey.RUBIN, Map.of(), url);
      List<Row> rows = decode(rubin, Files.readAllBytes(wire));
      assertNull(rows.get(0).get(7), "decoded with the registry's schema 704");
      assertTrue(rows.get(0).getLong(8) > 0, "its diaSourceId");

      byte[] unknown = Files.readAllBytes(wire);
      unknown[3] = 0x03; // schema id 0x000003C0 = 960, which the registry does not have
      assertTrue(decode(rubin, unknown).get(0).getString(7).contains("HTTP 404"), "kept aside with the reason");

      byte[] down = Files.readAllBytes(wire);
      java.nio.ByteBuffer.wrap(down).putInt(1, 999);
      SurveyMessageDecoder.RegistryUnavailable e = org.junit.jupiter.api.Assertions.assertThrows(
          SurveyMessageDecoder.RegistryUnavailable.class, () -> decode(rubin, down));
      assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    } finally {
      registry.stop(0);
    }
  }

  private static List<Row> decode(SurveyMessageDecoder decoder, byte[] value) throws Exception {
    Iterator<Row> out = decoder.call(List.<Row>of(RowFactory.create("t", 0, 12L, new Timestamp(0), value))
        .iterator());
    List<Row> rows = new ArrayList<>();
    out.forEachRemaining(rows::add);
    return rows;
  }

  private static List<GenericRecord> read(Path file) throws Exception {
    List<GenericRecord> records = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      reader.forEach(records::add);
    }
    return records;
  }

  private static byte[] container(List<GenericRecord> records, CodecFactory codec) throws Exception {
    Schema schema = records.get(0).getSchema();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      writer.setCodec(codec);
      writer.create(schema, out);
      records.forEach(r -> {
        try {
          writer.append(r);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
    return out.toByteArray();
  }
}
