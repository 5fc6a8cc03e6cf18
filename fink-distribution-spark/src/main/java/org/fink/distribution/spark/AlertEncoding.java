package org.fink.distribution.spark;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.avro.functions;
import org.apache.spark.sql.types.DataTypes;
import org.fink.distribution.codec.AlertCodec;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.codec.SchemaFingerprint;

/**
 * The Kafka message value of an alert column, in one of the {@link MessageFormat}s: exactly the bytes that
 * {@link AlertCodec#encode} gives for the same record.
 *
 * <p>The record is written with {@code to_avro} and the stream's one explicit schema, never a schema Spark infers
 * (which can differ in nullability from the one published).
 */
final class AlertEncoding {
  private AlertEncoding() {}

  /** The message value column. */
  public static Column value(Column alert, Schema schema, MessageFormat format) {
    Column binary = functions.to_avro(alert, schema.toString());
    return switch (format) {
      case AVRO_RAW -> binary;
      case AVRO_SINGLE_OBJECT -> concat(lit(SchemaFingerprint.singleObjectHeader(schema)), binary);
      case AVRO_CONTAINER -> udf(new ContainerFraming(schema.toString()), DataTypes.BinaryType).apply(binary);
    };
  }

  /** Wraps a binary record into a one-record Avro container file, on the executors. */
  private static final class ContainerFraming implements UDF1<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final String schemaJson;
    private transient AlertCodec codec;

    ContainerFraming(String schemaJson) {
      this.schemaJson = schemaJson;
    }

    @Override
    public byte[] call(byte[] binary) {
      if (codec == null) {
        codec = AlertCodec.of(MessageFormat.AVRO_CONTAINER, new Schema.Parser().parse(schemaJson));
      }
      return binary == null ? null : codec.frame(binary);
    }
  }
}
