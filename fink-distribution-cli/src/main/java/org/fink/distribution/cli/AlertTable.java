package org.fink.distribution.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.kafka.ConsumedAlert;

/**
 * Consumed alerts as a plain-text table like {@code distribution_test}'s: the summary fields an alert has (ZTF's
 * {@code objectId}, {@code candid}, {@code candidate.ra}...; Rubin's {@code diaSource.ra}...), then where it came
 * from.
 *
 * <pre>{@code
 * out.print(AlertTable.of(consumer.poll(Duration.ofSeconds(1))));
 * }</pre>
 */
final class AlertTable {
  private static final List<String> SUMMARY = List.of("objectId", "candid", "candidate.jd", "candidate.ra",
      "candidate.dec", "candidate.magpsf", "candidate.fid", "cdsxmatch", "diaSource.diaSourceId",
      "diaSource.midpointMjdTai", "diaSource.ra", "diaSource.dec", "diaSource.band");

  private AlertTable() {}

  /** The table of {@code alerts}: one header line and one line per alert between rules. */
  static String of(List<ConsumedAlert> alerts) {
    List<String> fields = SUMMARY.stream().filter(f -> alerts.stream().anyMatch(a -> has(a.alert().getSchema(), f)))
        .toList();
    List<String> header = new ArrayList<>();
    fields.forEach(f -> header.add(f.substring(f.lastIndexOf('.') + 1)));
    header.addAll(List.of("topic", "partition", "offset"));
    List<List<String>> rows = new ArrayList<>();
    for (ConsumedAlert a : alerts) {
      List<String> row = new ArrayList<>();
      fields.forEach(f -> row.add(String.valueOf(value(a.alert(), f))));
      row.addAll(List.of(a.topic(), String.valueOf(a.partition()), String.valueOf(a.offset())));
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    StringBuilder text = new StringBuilder().append(rule).append('\n').append(line(header, width)).append(rule)
        .append('\n');
    rows.forEach(r -> text.append(line(r, width)));
    return text.append(rule).append('\n').toString();
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      line.append(' ').append(String.format("%" + width[i] + "s", cells.get(i))).append(" |");
    }
    return line.append('\n').toString();
  }

  private static boolean has(Schema schema, String path) {
    Schema current = schema;
    for (String name : path.split("\\.")) {
      current = record(current);
      if (current == null || current.getField(name) == null) {
        return false;
      }
      current = current.getField(name).schema();
    }
    return true;
  }

  private static Object value(GenericRecord alert, String path) {
    Object current = alert;
    for (String name : path.split("\\.")) {
      if (!(current instanceof GenericRecord record) || record.getSchema().getField(name) == null) {
        return null;
      }
      current = record.get(name);
    }
    return current;
  }

  /** The record schema of {@code schema}, or of its non-null union branch; null for other types. */
  private static Schema record(Schema schema) {
    if (schema.getType() == Schema.Type.RECORD) {
      return schema;
    }
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().filter(s -> s.getType() == Schema.Type.RECORD).findFirst().orElse(null);
    }
    return null;
  }
}
