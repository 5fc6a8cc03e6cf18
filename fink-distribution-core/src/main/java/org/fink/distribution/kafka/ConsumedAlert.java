package org.fink.distribution.kafka;

import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.codec.MessageFormat;

/**
 * One decoded alert and where it came from.
 *
 * @param topic Kafka topic
 * @param partition partition
 * @param offset offset in the partition
 * @param key message key (the alert's objectId), or null (also in the Fink framing, whose key is the schema)
 * @param alertId the alert-id header, or null
 * @param stream the stream-name header, or null
 * @param fingerprint fingerprint of the writer schema
 * @param format framing of the message
 * @param alert the alert, in the reader schema if one was given, else in the writer schema
 * @param timestamp the message's Kafka timestamp
 */
public record ConsumedAlert(String topic, int partition, long offset, String key, String alertId, String stream,
    long fingerprint, MessageFormat format, GenericRecord alert, java.time.Instant timestamp) {}
