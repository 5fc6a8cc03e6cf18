/**
 * The message format of distributed alerts (DESIGN.md §5): {@link org.fink.distribution.codec.AlertCodec} encodes an
 * Avro record as a Kafka message value and decodes it, in one of the {@link org.fink.distribution.codec.MessageFormat}s
 * (by default the Fink framing: the bare Avro record, with the schema as message key; Avro single-object encoding,
 * raw Avro, a one-record container file, or JSON through {@link org.fink.distribution.codec.AlertJson});
 * {@link org.fink.distribution.codec.AlertCodec.Decoder} decodes messages of any writer schema an Avro
 * {@code SchemaStore} knows, into a reader schema when given ({@link org.fink.distribution.codec.DecodedAlert});
 * {@link org.fink.distribution.codec.MessageFormats} recognizes the framing of a message;
 * {@link org.fink.distribution.codec.SchemaFingerprint} is the CRC-64-AVRO fingerprint that identifies a writer
 * schema; {@link org.fink.distribution.codec.AlertHeaders} names the message headers.
 *
 * <pre>{@code
 * AlertCodec codec = AlertCodec.of(MessageFormat.AVRO_SINGLE_OBJECT, schema);
 * byte[] value = codec.encode(alert);
 * long writer = SchemaFingerprint.read(value);     // which schema wrote it
 * GenericRecord back = codec.decode(value);
 * }</pre>
 */
package org.fink.distribution.codec;
