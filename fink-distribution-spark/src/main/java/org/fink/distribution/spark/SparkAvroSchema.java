package org.fink.distribution.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.fink.distribution.rules.SchemaPaths;

/**
 * Converts between the science database's Spark schema and Avro, keeping field docs (Spark field metadata
 * {@value #DOC}, set at ingest from the survey's schema).
 *
 * <p>The Avro form does not depend on how Spark read the table (batch or streaming reads can differ in nullability):
 * every field is {@code ["null", T]} with default null, records are named after their path.
 *
 * <pre>{@code
 * Schema avro = SparkAvroSchema.toAvro(db.schema());
 * StructType documented = SparkAvroSchema.withDocs(df.schema(), surveySchema);
 * }</pre>
 */
final class SparkAvroSchema {
  /** Spark field metadata key holding the field's doc. */
  public static final String DOC = "comment";

  private SparkAvroSchema() {}

  /** The Avro record {@code fink.sciencedb.alert} for a science-database schema. */
  public static Schema toAvro(StructType schema) {
    return record(schema, "alert", "fink.sciencedb");
  }

  private static Schema record(StructType struct, String name, String namespace) {
    List<Schema.Field> fields = new ArrayList<>();
    for (StructField field : struct.fields()) {
      Schema type = type(field.dataType(), field.name(), namespace + "." + name);
      String doc = field.metadata().contains(DOC) ? field.metadata().getString(DOC) : null;
      fields.add(new Schema.Field(field.name(), nullable(type), doc, JsonProperties.NULL_VALUE));
    }
    return Schema.createRecord(name, null, namespace, false, fields);
  }

  private static Schema type(DataType type, String name, String namespace) {
    if (type instanceof StructType struct) {
      return record(struct, name, namespace);
    }
    if (type instanceof ArrayType array) {
      return Schema.createArray(nullable(type(array.elementType(), name + "_item", namespace)));
    }
    if (type instanceof MapType map) {
      if (!(map.keyType() instanceof StringType)) {
        throw new IllegalArgumentException("field " + name + ": Avro maps need string keys, not " + map.keyType());
      }
      return Schema.createMap(nullable(type(map.valueType(), name + "_value", namespace)));
    }
    if (type instanceof BooleanType) {
      return Schema.create(Schema.Type.BOOLEAN);
    }
    if (type instanceof IntegerType || type instanceof ShortType || type instanceof ByteType) {
      return Schema.create(Schema.Type.INT);
    }
    if (type instanceof LongType) {
      return Schema.create(Schema.Type.LONG);
    }
    if (type instanceof FloatType) {
      return Schema.create(Schema.Type.FLOAT);
    }
    if (type instanceof DoubleType) {
      return Schema.create(Schema.Type.DOUBLE);
    }
    if (type instanceof StringType) {
      return Schema.create(Schema.Type.STRING);
    }
    if (type instanceof BinaryType) {
      return Schema.create(Schema.Type.BYTES);
    }
    if (type instanceof DateType) {
      return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    }
    if (type instanceof TimestampType) {
      return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    }
    if (type instanceof TimestampNTZType) {
      return LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    }
    if (type instanceof DecimalType decimal) {
      return LogicalTypes.decimal(decimal.precision(), decimal.scale()).addToSchema(Schema.create(Schema.Type.BYTES));
    }
    throw new IllegalArgumentException("field " + name + " has Spark type " + type.simpleString()
        + ", which has no Avro form; drop it from the stream");
  }

  private static Schema nullable(Schema type) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), type);
  }

  /** {@code schema} with each field's doc from the same field of {@code avro} (a survey schema), where it has one. */
  public static StructType withDocs(StructType schema, Schema avro) {
    Schema record = SchemaPaths.nonNull(avro);
    List<StructField> fields = new ArrayList<>();
    for (StructField field : schema.fields()) {
      Schema.Field source = record.getType() == Schema.Type.RECORD ? record.getField(field.name()) : null;
      if (source == null) {
        fields.add(field);
        continue;
      }
      DataType type = withDocs(field.dataType(), SchemaPaths.nonNull(source.schema()));
      Metadata metadata = source.doc() == null ? field.metadata()
          : new MetadataBuilder().withMetadata(field.metadata()).putString(DOC, source.doc()).build();
      fields.add(new StructField(field.name(), type, field.nullable(), metadata));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  private static DataType withDocs(DataType type, Schema avro) {
    if (type instanceof StructType struct && avro.getType() == Schema.Type.RECORD) {
      return withDocs(struct, avro);
    }
    if (type instanceof ArrayType array && avro.getType() == Schema.Type.ARRAY) {
      return new ArrayType(withDocs(array.elementType(), SchemaPaths.nonNull(avro.getElementType())),
          array.containsNull());
    }
    return type;
  }
}
