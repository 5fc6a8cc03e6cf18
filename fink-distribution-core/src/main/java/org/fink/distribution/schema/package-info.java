/**
 * Avro schemas of distributed streams: {@link org.fink.distribution.schema.DistributionSchema} derives a stream's
 * schema from the science-database schema and the stream's projection (deterministically);
 * {@link org.fink.distribution.schema.SchemaFiles} reads and writes {@code .avsc} files;
 * {@link org.fink.distribution.schema.SchemaStore} finds writer schemas by fingerprint;
 * {@link org.fink.distribution.schema.SchemaFolder} holds a survey's schema versions (Rubin's wire format);
 * {@link org.fink.distribution.schema.Survey} names each survey's alert-id and observation-time fields.
 *
 * <pre>{@code
 * Schema out = DistributionSchema.derive(scienceDbAvroSchema, rules.streams().get(0));
 * SchemaFiles.write(Path.of("schemas/distribution_schema.avsc"), out);
 * }</pre>
 */
package org.fink.distribution.schema;
