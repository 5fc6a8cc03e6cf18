package org.fink.distribution.spark;

import static org.fink.distribution.rules.Rules.field;
import static org.fink.distribution.rules.Rules.watchlist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.rules.AngleUnit;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.Rules;
import org.fink.distribution.rules.Watchlist;
import org.fink.distribution.schema.DistributionSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream with {@code <watchlist annotate="true">} publishes each alert with the nearest source's name and separation
 * ({@code watchlist_name}, {@code watchlist_separation_arcsec}, last in its schema; null without a match); a stream
 * with the same projection but no annotation keeps its own shape.
 */
class WatchlistAnnotationTest {
  @TempDir Path dir;

  @Test
  void annotatedStreamsCarryTheMatchAndOthersDoNot() throws Exception {
    Path catalog = Files.writeString(dir.resolve("c.csv"), "name,ra,dec\nCrab,83.63308,22.0145\nfar,200,-30\n");
    SparkSession spark = TestSpark.session();
    StructType candidate = new StructType().add("ra", DataTypes.DoubleType).add("dec", DataTypes.DoubleType);
    StructType schema = new StructType().add("objectId", DataTypes.StringType).add("candidate", candidate);
    Dataset<Row> alerts = spark.createDataFrame(List.of(
        RowFactory.create("near", RowFactory.create(83.63308, 22.0145 + 1.0 / 3600)),
        RowFactory.create("away", RowFactory.create(10.0, 10.0)),
        RowFactory.create("nullpos", RowFactory.create(null, 22.0145))), schema);
    Schema db = ScienceDb.avroSchema(schema);
    Watchlist w = watchlist("candidate.ra", "candidate.dec").file(catalog).within(2, AngleUnit.ARCSEC);
    DistributionStream annotated = Rules.stream("annotated").topic("t1").select("objectId")
        .filter(Rules.or(w.annotated(), field("objectId").eq("away"))).build();
    DistributionStream plain = Rules.stream("plain").topic("t2").select("objectId")
        .filter(Rules.or(w, field("objectId").eq("away"))).build();
    List<StreamFanOut.Output> outputs = new ArrayList<>();
    for (DistributionStream stream : List.of(annotated, plain)) {
      outputs.add(new StreamFanOut.Output(stream, stream.topic(), DistributionSchema.derive(db, stream), 1 << 20));
    }
    StreamFanOut.Routing routing = StreamFanOut.route(alerts, schema, outputs, "objectId", null, false);
    assertEquals(2, routing.schemas().size(), "one shape per annotation");
    assertEquals(List.of(0, 1), List.of(routing.schemaOfStream()[0], routing.schemaOfStream()[1]));
    assertEquals(List.of("objectId", Watchlist.NAME_FIELD, Watchlist.SEPARATION_FIELD),
        List.of(routing.shapes().get(0).fieldNames()));
    assertEquals(List.of("objectId"), List.of(routing.shapes().get(1).fieldNames()));
    for (int g = 0; g < 2; g++) {
      AvroRowWriter.of(routing.schemas().get(g), routing.shapes().get(g));  // fields align with the Avro schema
    }
    Map<String, Row> byKey = new TreeMap<>();
    for (Row row : routing.rows().collectAsList()) {
      byKey.put(row.getString(0), row.getStruct(row.fieldIndex("shape_0")));
    }
    assertEquals(List.of("away", "near"), List.copyOf(byKey.keySet()), "the null position passes no watchlist");
    Row near = byKey.get("near");
    assertEquals("Crab", near.getString(1));
    assertEquals(1.0, near.getDouble(2), 1e-6);
    assertTrue(byKey.get("away").isNullAt(1) && byKey.get("away").isNullAt(2), "no match: null fields");
  }
}
