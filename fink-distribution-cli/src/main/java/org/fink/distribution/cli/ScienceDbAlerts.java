package org.fink.distribution.cli;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.avro.functions;
import org.apache.spark.sql.types.StructType;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.spark.RuleColumns;
import org.fink.distribution.spark.ScienceDb;

/**
 * The alerts of the science database that one stream of a rules file would publish (its filter, as the distribution
 * applies it), whole: every column of the database, cutouts and history included, whatever the stream selects or
 * drops; for {@code fink view --rules FILE --stream NAME}. Publishes nothing.
 *
 * <pre>{@code
 * List<ConsumedAlert> alerts = ScienceDbAlerts.read(db, rules, "bright", null, 50);
 * }</pre>
 */
final class ScienceDbAlerts {
  private ScienceDbAlerts() {}

  /**
   * Up to {@code limit} alerts of {@code stream} from the nights from {@code since} on (null: all), each as a
   * {@link ConsumedAlert} whose topic names the stream and whose partition is -1 (not from Kafka).
   *
   * @throws IllegalArgumentException naming the streams of the file when it has no stream {@code stream}
   */
  static List<ConsumedAlert> read(ScienceDb db, DistributionRules rules, String stream, LocalDate since, int limit) {
    DistributionStream chosen = rules.streams().stream().filter(s -> s.name().equals(stream)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the rules have no stream '" + stream + "'; their streams: "
            + String.join(", ", rules.streams().stream().map(DistributionStream::name).toList())));
    StructType schema = db.schema();
    Schema dbAvro = ScienceDb.avroSchema(schema);
    RuleValidator.validate(rules, dbAvro);
    Dataset<Row> alerts = db.read(schema);
    if (since != null) {
      if (schema.getFieldIndex(ScienceDb.NIGHT).isEmpty()) {
        throw new IllegalArgumentException("--since needs the science database column " + ScienceDb.NIGHT);
      }
      alerts = alerts.filter(col(ScienceDb.NIGHT).geq(lit(java.sql.Date.valueOf(since))));
    }
    Column passes = coalesce(new RuleColumns(schema).all(chosen.filter()), lit(false));
    // one explicit schema for to_avro, the one the records are read with (STACK.md: to_avro and nullability)
    Column row = struct(java.util.Arrays.stream(schema.fieldNames()).map(n -> col("`" + n + "`"))
        .toArray(Column[]::new));
    List<Row> rows = alerts.filter(passes).limit(limit)
        .select(functions.to_avro(row, dbAvro.toString()).as("value")).collectAsList();
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(dbAvro);
    long fingerprint = SchemaNormalization.parsingFingerprint64(dbAvro);
    String source = "science database, stream " + chosen.name();
    Instant now = Instant.now();
    List<ConsumedAlert> found = new ArrayList<>();
    for (Row value : rows) {
      try {
        GenericRecord alert = reader.read(null, DecoderFactory.get().binaryDecoder((byte[]) value.get(0), null));
        found.add(new ConsumedAlert(source, -1, found.size(), null, null, chosen.name(), fingerprint,
            MessageFormat.FINK, alert, now));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }
}
