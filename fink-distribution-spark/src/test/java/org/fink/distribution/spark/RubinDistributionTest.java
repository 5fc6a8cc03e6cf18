package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.schema.SchemaFiles;
import org.fink.distribution.schema.SchemaFolder;
import org.fink.distribution.schema.Survey;
import org.fink.distribution.testkit.SharedData;
import org.fink.kafka.admin.EmbeddedKafkaBroker;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Rubin alerts (wire format v7.4 and a v9.0 container file) ingested and distributed with a Rubin rules file. */
class RubinDistributionTest {
  private static final String RULES = """
      <distribution-rules>
        <select>
          <column name="diaSource"/>
          <column name="cutoutDifference"/>
        </select>
        <drop>
          <column name="diaSource" subcol="x"/>
          <column name="diaSource" subcol="y"/>
        </drop>
        <filter>
          <column name="diaSource" subcol="band" operator="=" value="'g'"/>
          <column name="diaSource" subcol="psfFlux" operator="&gt;" value="0"/>
        </filter>
      </distribution-rules>
      """;

  @TempDir Path work;

  @Test
  void rubinAlertsAreDistributedByBandAndFlux() throws Exception {
    Path lsst = SharedData.require("lsst");
    SparkSession spark = TestSpark.session();
    String servers = EmbeddedKafkaBroker.shared().bootstrapServers();
    SchemaFolder schemas = new SchemaFolder(lsst.resolve("schema"));
    ScienceDb db = new ScienceDb(spark, work.resolve("db").toString(), "parquet");
    new SurveyIngest(spark, Survey.RUBIN, schemas).ingest(lsst.resolve("alerts"), db);

    Map<Long, GenericRecord> expected = new HashMap<>();
    for (GenericRecord alert : readAll(lsst.resolve("alerts"), schemas)) {
      GenericRecord source = (GenericRecord) alert.get("diaSource");
      Object flux = source.get("psfFlux");
      if ("g".equals(String.valueOf(source.get("band"))) && flux != null && (Float) flux > 0) {
        expected.put((Long) source.get("diaSourceId"), alert);
      }
    }
    assertFalse(expected.isEmpty(), "some real Rubin alerts pass the rules");

    String topic = "rubin-" + UUID.randomUUID();
    try (FinkKafkaAdmin admin = FinkKafkaAdmin.connect(servers)) {
      admin.createTopic(topic, 1, (short) 1);
    }
    DistributionRules rules = RulesXml.read(Files.writeString(work.resolve("rubin.xml"), RULES));
    Path schemaFile = work.resolve("schemas/distribution_schema.avsc");
    Distribution.Builder distribution = Distribution.builder().spark(spark).scienceDb(db).rules(rules)
        .servers(servers).defaultTopic(topic).checkpoint(work.resolve("checkpoint").toString())
        .schemaFile(schemaFile);
    DistributionException noObjectId = assertThrows(DistributionException.class,
        () -> distribution.build().runOnce());
    assertTrue(noObjectId.getMessage().contains("diaSource.diaObjectId"), noObjectId.getMessage());

    // single-object framing, keyed by diaObjectId (the default framing, fink, is ClientInteropTest's)
    distribution.keyField("diaSource.diaObjectId").format(MessageFormat.AVRO_SINGLE_OBJECT).build().runOnce();
    Schema schema = SchemaFiles.read(schemaFile);
    AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema);
    List<ConsumerRecord<byte[], byte[]>> messages = DistributionEndToEndTest.consume(servers, topic, expected.size());
    assertEquals(expected.size(), messages.size());
    for (ConsumerRecord<byte[], byte[]> message : messages) {
      GenericRecord out = codec.decode(message.value());
      GenericRecord source = (GenericRecord) out.get("diaSource");
      GenericRecord in = (GenericRecord) expected.get((Long) source.get("diaSourceId")).get("diaSource");
      assertEquals(String.valueOf(in.get("diaObjectId")), new String(message.key(), StandardCharsets.UTF_8));
      assertEquals(in.get("psfFlux"), source.get("psfFlux"));
      assertEquals(in.get("ra"), source.get("ra"));
      assertTrue(source.getSchema().getField("x") == null, "dropped diaSource.x");
    }
  }

  /** Every alert of the folder, decoded with plain Avro: wire files with their schema id's version, containers. */
  static List<GenericRecord> readAll(Path folder, SchemaFolder schemas) throws Exception {
    List<GenericRecord> alerts = new java.util.ArrayList<>();
    for (Path file : SurveyIngest.alertFiles(folder)) {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes[0] == 0) {
        Schema writer = schemas.forSchemaId(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt());
        alerts.add(new GenericDatumReader<GenericRecord>(writer)
            .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null)));
      } else {
        File f = file.toFile();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(f, new GenericDatumReader<>())) {
          reader.forEach(alerts::add);
        }
      }
    }
    return alerts;
  }
}
