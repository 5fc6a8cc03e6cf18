package org.fink.distribution.schema;

import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * Whether an alert file's writer schema is one of a survey's alert schemas: a record named {@code alert} in the
 * survey's namespace ({@code ztf}; {@code lsst.vM_N} for Rubin), carrying the alert id and the observation time as
 * plain (non-null) numbers. A file of any other schema would give rows without an id or a night: ingest refuses it.
 *
 * <pre>{@code
 * Optional<String> problem = SurveySchemaCheck.problem(Survey.ZTF, writerSchema);
 * // e.g. "its schema is the record com.example.Weather, not a ZTF alert (ztf.alert)"
 * }</pre>
 */
public final class SurveySchemaCheck {
  private static final Pattern RUBIN_NAMESPACE = Pattern.compile("lsst\\.v\\d+_\\d+");

  private SurveySchemaCheck() {}

  /** Why {@code writer} is not an alert schema of {@code survey}; empty when it is one. */
  public static Optional<String> problem(Survey survey, Schema writer) {
    String expected = survey == Survey.ZTF ? "ztf.alert" : "lsst.vM_N.alert";
    String name = survey == Survey.ZTF ? "ZTF" : "Rubin";
    if (writer.getType() != Schema.Type.RECORD) {
      return Optional.of("its schema is " + describe(writer) + ", not a " + name + " alert (" + expected + ")");
    }
    String namespace = writer.getNamespace() == null ? "" : writer.getNamespace();
    boolean known = "alert".equals(writer.getName()) && (survey == Survey.ZTF ? "ztf".equals(namespace)
        : RUBIN_NAMESPACE.matcher(namespace).matches());
    if (!known) {
      return Optional.of("its schema is " + describe(writer) + ", not a " + name + " alert (" + expected + ")");
    }
    Optional<String> id = numberField(writer, survey.alertIdField(), true, "alert id");
    return id.isPresent() ? id : numberField(writer, survey.observationTimeField(), false, "observation time");
  }

  /** The field at a dotted path must be a non-null number: integral for an id, any for a time. */
  private static Optional<String> numberField(Schema record, String path, boolean integral, String role) {
    Schema current = record;
    for (String name : path.split("\\.")) {
      Schema.Field field = current.getType() == Schema.Type.RECORD ? current.getField(name) : null;
      if (field == null) {
        return Optional.of("its schema " + record.getFullName() + " has no " + role + " field " + path);
      }
      current = field.schema();
    }
    Schema.Type type = current.getType();
    boolean ok = integral ? type == Schema.Type.LONG || type == Schema.Type.INT
        : type == Schema.Type.DOUBLE || type == Schema.Type.FLOAT || type == Schema.Type.LONG
            || type == Schema.Type.INT;
    return ok ? Optional.empty() : Optional.of("its " + role + " field " + path + " is " + describe(current)
        + ", not a" + (integral ? "n integer" : " number") + " that is never null");
  }

  private static String describe(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> "the " + schema.getType().getName() + " " + schema.getFullName();
      case UNION -> "a union " + schema.getTypes().stream().map(s -> s.getType().getName()).toList();
      default -> "a " + schema.getType().getName();
    };
  }
}
