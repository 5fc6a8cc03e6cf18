package org.fink.distribution.codec;

import org.apache.avro.generic.GenericRecord;

/**
 * An alert decoded from a message value, and the CRC-64-AVRO fingerprint of the schema it was written with.
 *
 * @param alert the alert, in the reader schema
 * @param writerFingerprint fingerprint of the writer schema ({@link SchemaFingerprint})
 */
public record DecodedAlert(GenericRecord alert, long writerFingerprint) {}
