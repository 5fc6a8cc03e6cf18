package org.fink.distribution.cli.view;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads an alert's fields by dotted path ({@code candidate.magpsf}) and lists them flat for the fields table; the
 * three cutouts, in ZTF's {@code {fileName, stampData}} record or Rubin's plain bytes.
 *
 * <pre>{@code
 * Object mag = AlertValues.get(alert, "candidate.magpsf");     // null if absent or null
 * byte[] science = AlertValues.cutout(alert, "cutoutScience"); // null if absent
 * }</pre>
 */
public final class AlertValues {
  /** The cutout fields of both surveys, in the order they are shown. */
  public static final List<String> CUTOUTS = List.of("cutoutScience", "cutoutTemplate", "cutoutDifference");

  private AlertValues() {}

  /** The value at {@code path}; null when a step is missing from the schema or null. */
  public static Object get(GenericRecord record, String path) {
    Object current = record;
    for (String name : path.split("\\.")) {
      if (!(current instanceof GenericRecord r) || r.getSchema().getField(name) == null) {
        return null;
      }
      current = r.get(name);
    }
    return current;
  }

  /** The number at {@code path}, or null. */
  public static Double number(GenericRecord record, String path) {
    return get(record, path) instanceof Number n ? n.doubleValue() : null;
  }

  /** Whether the alert's schema has the field at {@code path} (whatever its value). */
  public static boolean has(GenericRecord record, String path) {
    int dot = path.lastIndexOf('.');
    Object parent = dot < 0 ? record : get(record, path.substring(0, dot));
    return parent instanceof GenericRecord r && r.getSchema().getField(path.substring(dot + 1)) != null;
  }

  /** The bytes of cutout {@code field} (ZTF: its {@code stampData}; Rubin: the field itself), or null. */
  public static byte[] cutout(GenericRecord alert, String field) {
    Object value = get(alert, field);
    if (value instanceof GenericRecord stamp) {
      value = get(stamp, "stampData");
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
    return value instanceof byte[] bytes ? bytes : null;
  }

  /**
   * The alert's fields as dotted path to display text, in schema order: records are walked into, arrays show their
   * length (the history is drawn as the light curve), bytes (the cutouts, drawn as images) their size.
   */
  public static Map<String, String> flat(GenericRecord alert) {
    Map<String, String> fields = new LinkedHashMap<>();
    flatten("", alert, fields);
    return fields;
  }

  private static void flatten(String prefix, GenericRecord record, Map<String, String> into) {
    for (org.apache.avro.Schema.Field field : record.getSchema().getFields()) {
      String path = prefix + field.name();
      Object value = record.get(field.pos());
      if (value instanceof GenericRecord nested) {
        flatten(path + ".", nested, into);
      } else if (value instanceof List<?> list) {
        into.put(path, "[" + list.size() + " entries]");
      } else if (value instanceof ByteBuffer buffer) {
        into.put(path, "<" + buffer.remaining() + " bytes>");
      } else if (value instanceof Map<?, ?> map) {
        into.put(path, "{" + map.size() + " entries}");
      } else {
        into.put(path, String.valueOf(value));
      }
    }
  }
}
