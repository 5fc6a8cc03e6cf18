/**
 * Avro schemas of distributed streams: {@link org.fink.distribution.schema.DistributionSchema} derives a stream's
 * schema from the science-database schema and the stream's projection (deterministically);
 * {@link org.fink.distribution.schema.SchemaFiles} reads and writes {@code .avsc} files;
 * {@link org.fink.distribution.schema.SchemaFolderStore} finds a folder's writer schemas by fingerprint (an Avro
 * {@code SchemaStore});
 * {@link org.fink.distribution.schema.SchemaFolder} holds a survey's schema versions (Rubin's wire format);
 * {@link org.fink.distribution.schema.SchemaMerger} merges a survey's schema versions into one reader schema;
 * {@link org.fink.distribution.schema.SchemaEvolution} decides whether a stream's schema may change (consumers of the
 * previous one must read the next);
 * {@link org.fink.distribution.schema.Survey} names each survey's alert-id and observation-time fields.
 *
 * <pre>{@code
 * Schema out = DistributionSchema.derive(scienceDbAvroSchema, rules.streams().get(0));
 * SchemaFiles.write(Path.of("schemas/distribution_schema.avsc"), out);
 * }</pre>
 */
package org.fink.distribution.schema;
