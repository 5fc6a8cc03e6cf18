/**
 * Reading distributed alerts with plain Kafka clients, no Spark: {@link org.fink.distribution.kafka.AlertConsumer}
 * finds each message's writer schema by fingerprint (local {@code .avsc} files, then the schema topic), decodes it,
 * drops duplicates by alert id and skips corrupt messages; {@link org.fink.distribution.kafka.SchemaTopic} is the
 * compacted topic where the distribution publishes each stream's schema, keyed by fingerprint, and
 * {@link org.fink.distribution.kafka.SchemaTopicStore} looks writer schemas up in it (an Avro {@code SchemaStore});
 * decoding itself is {@link org.fink.distribution.codec.AlertCodec}'s.
 *
 * <p>Also the one Kafka vocabulary of the modules: {@link org.fink.distribution.kafka.AdminRequests} (an admin client
 * whose every request has a deadline), {@link org.fink.distribution.kafka.KafkaErrors} (Kafka's errors translated into
 * {@link org.fink.distribution.KafkaProblem}s: a kind, the topic and user involved, a message naming the fix),
 * the publish pre-flight check ({@link org.fink.distribution.kafka.PublishCheck}) and schema delivery
 * ({@link org.fink.distribution.kafka.SchemaDelivery}).
 *
 * <pre>{@code
 * try (AlertConsumer consumer = AlertConsumer.builder()
 *     .servers("127.0.0.1:9092").topics("fink_outstream").groupId("my-science")
 *     .schemaFolder(Path.of("schemas")).build()) {
 *   for (ConsumedAlert a : consumer.poll(Duration.ofSeconds(1))) {
 *     System.out.println(a.key() + " " + a.alert().get("candid"));
 *   }
 * }
 * }</pre>
 */
package org.fink.distribution.kafka;
