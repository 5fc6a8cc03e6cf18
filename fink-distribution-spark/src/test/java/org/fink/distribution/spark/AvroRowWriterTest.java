package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The row writer makes the bytes Avro's own writer makes, from Spark's unsafe rows and from generic ones. */
class AvroRowWriterTest {
  /** As distribution schemas make them: every field and item {@code ["null", T]}. */
  private static final Schema ALERT = new Schema.Parser().parse("""
      {"type": "record", "name": "alert", "fields": [
        {"name": "objectId", "type": ["null", "string"]},
        {"name": "candid", "type": ["null", "long"]},
        {"name": "cutoutScience", "type": ["null", {"type": "record", "name": "cutout", "fields": [
          {"name": "fileName", "type": ["null", "string"]},
          {"name": "stampData", "type": ["null", "bytes"]}]}]},
        {"name": "stamps", "type": ["null", {"type": "array", "items": ["null", "bytes"]}]},
        {"name": "tags", "type": ["null", {"type": "map", "values": ["null", "string"]}]}]}""");
  private static final Schema CUTOUT = ALERT.getField("cutoutScience").schema().getTypes().get(1);
  private static final StructType CUTOUT_ROW = new StructType().add("fileName", DataTypes.StringType)
      .add("stampData", DataTypes.BinaryType);
  private static final StructType ALERT_ROW = new StructType().add("objectId", DataTypes.StringType)
      .add("candid", DataTypes.LongType).add("cutoutScience", CUTOUT_ROW)
      .add("stamps", DataTypes.createArrayType(DataTypes.BinaryType))
      .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  @Test
  void unsafeAndGenericRowsEncodeAsAvroDoes() throws IOException {
    byte[] stamp = new byte[13_000];
    for (int i = 0; i < stamp.length; i++) {
      stamp[i] = (byte) (i * 31);
    }
    InternalRow generic = new GenericInternalRow(new Object[] {UTF8String.fromString("ZTF21abcdefg"), 1234L,
        new GenericInternalRow(new Object[] {UTF8String.fromString("sci.fits.gz"), stamp}),
        new GenericArrayData(new Object[] {new byte[] {1, 2, 3}, null, new byte[0]}),
        ArrayBasedMapData.apply(new Object[] {UTF8String.fromString("fink")},
            new Object[] {UTF8String.fromString("é-class")})});
    InternalRow unsafe = UnsafeProjection.create(ALERT_ROW).apply(generic);

    GenericRecord cutout = new GenericData.Record(CUTOUT);
    cutout.put("fileName", "sci.fits.gz");
    cutout.put("stampData", ByteBuffer.wrap(stamp));
    GenericRecord alert = new GenericData.Record(ALERT);
    alert.put("objectId", "ZTF21abcdefg");
    alert.put("candid", 1234L);
    alert.put("cutoutScience", cutout);
    alert.put("stamps", java.util.Arrays.asList(ByteBuffer.wrap(new byte[] {1, 2, 3}), null,
        ByteBuffer.wrap(new byte[0])));
    alert.put("tags", Map.of("fink", "é-class"));
    byte[] expected = avro(alert);

    AvroRowWriter writer = AvroRowWriter.of(ALERT, ALERT_ROW);
    for (InternalRow row : List.of(unsafe, generic)) {
      AvroBytes out = new AvroBytes(16);
      writer.write(row, out);
      assertArrayEquals(expected, out.toByteArray(), row.getClass().getSimpleName());
    }
  }

  private static byte[] avro(GenericRecord record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return bytes.toByteArray();
  }
}
