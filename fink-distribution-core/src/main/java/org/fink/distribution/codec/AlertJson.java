package org.fink.distribution.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * The JSON framing ({@code DISTRIBUTION_FORMAT=json}): an alert as one plain JSON object with the fields and nesting
 * of its Avro record, for clients without Avro (web pages, {@code jq}, JavaScript). Written and read with Jackson.
 *
 * <ul>
 *   <li>records and maps are objects (fields in schema order), arrays are arrays, strings and enums strings;
 *   <li>a null value (the null branch of a union) is {@code null}; other union values are written plainly, without
 *       Avro's JSON type wrapper ({@code 3.5}, not {@code {"double": 3.5}});
 *   <li>{@code bytes} and {@code fixed} (the cutouts) are base64 strings (RFC 4648, with padding);
 *   <li>{@code int} and {@code long} are JSON numbers (a JavaScript {@code JSON.parse} loses digits of ids above
 *       2^53: read them with a BigInt-aware parser, or take the alert id from the {@code fink-alert-id} header);
 *   <li>{@code float} and {@code double} are JSON numbers, except NaN and the infinities, which JSON has no number for:
 *       they are the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (Python's {@code float()} and
 *       JavaScript's {@code Number()} read them back).
 * </ul>
 *
 * <pre>{@code
 * byte[] json = AlertJson.write(alert);                    // {"objectId":"ZTF18...","candidate":{"ra":...},...}
 * GenericRecord back = AlertJson.read(json, alert.getSchema());
 * }</pre>
 */
public final class AlertJson {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build()).build();
  private static final Base64.Encoder BASE64 = Base64.getEncoder();
  private static final Base64.Decoder BASE64_IN = Base64.getDecoder();

  private AlertJson() {}

  /** The alert as a UTF-8 JSON object. */
  public static byte[] write(GenericRecord alert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      value(json, alert.getSchema(), alert, "");
    } catch (IOException e) {
      throw new AlertCodecException("cannot write alert " + alert.getSchema().getFullName() + " as JSON: "
          + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** The alert in a JSON object written by {@link #write}, as a record of {@code schema}. */
  public static GenericRecord read(byte[] json, Schema schema) {
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      Object record = read(parser, schema, "");
      if (!(record instanceof GenericRecord alert)) {
        throw new AlertCodecException("JSON message is not an object of " + schema.getFullName());
      }
      if (parser.nextToken() != null) {
        throw new AlertCodecException("JSON message has more after its object (at " + parser.currentLocation()
            .getCharOffset() + ")");
      }
      return alert;
    } catch (IOException e) {
      throw new AlertCodecException("not a JSON alert of " + schema.getFullName() + ": " + e.getMessage(), e);
    }
  }

  private static void value(JsonGenerator json, Schema schema, Object value, String path) throws IOException {
    switch (schema.getType()) {
      case UNION:
        if (value == null) {
          json.writeNull();
        } else {
          value(json, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value, path);
        }
        return;
      case RECORD: {
        GenericRecord record = (GenericRecord) value;
        json.writeStartObject();
        for (Schema.Field field : schema.getFields()) {
          json.writeFieldName(field.name());
          value(json, field.schema(), record.get(field.pos()), path.isEmpty() ? field.name() : path + "." + field.name());
        }
        json.writeEndObject();
        return;
      }
      case ARRAY:
        json.writeStartArray();
        for (Object item : (Iterable<?>) value) {
          value(json, schema.getElementType(), item, path + "[]");
        }
        json.writeEndArray();
        return;
      case MAP:
        json.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          json.writeFieldName(entry.getKey().toString());
          value(json, schema.getValueType(), entry.getValue(), path + "{}");
        }
        json.writeEndObject();
        return;
      case STRING:
      case ENUM:
        json.writeString(value.toString());
        return;
      case BYTES: {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        json.writeString(BASE64.encodeToString(bytes));
        return;
      }
      case FIXED:
        json.writeString(BASE64.encodeToString(((GenericFixed) value).bytes()));
        return;
      case INT:
        json.writeNumber(((Number) value).intValue());
        return;
      case LONG:
        json.writeNumber(((Number) value).longValue());
        return;
      case FLOAT: {
        float f = ((Number) value).floatValue();
        if (Float.isFinite(f)) {
          json.writeNumber(f);
        } else {
          json.writeString(nonFinite(f));
        }
        return;
      }
      case DOUBLE: {
        double d = ((Number) value).doubleValue();
        if (Double.isFinite(d)) {
          json.writeNumber(d);
        } else {
          json.writeString(nonFinite(d));
        }
        return;
      }
      case BOOLEAN:
        json.writeBoolean((Boolean) value);
        return;
      case NULL:
        json.writeNull();
        return;
      default:
        throw new AlertCodecException("field " + path + " has Avro type " + schema.getType() + ", not written as JSON");
    }
  }

  private static String nonFinite(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }

  private static Object read(JsonParser parser, Schema schema, String path) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new AlertCodecException("JSON message ends before field " + path);
    }
    switch (schema.getType()) {
      case UNION:
        return readUnion(parser, schema, path);
      case NULL:
        expect(token == JsonToken.VALUE_NULL, parser, schema, path);
        return null;
      case RECORD: {
        expect(token == JsonToken.START_OBJECT, parser, schema, path);
        GenericData.Record record = new GenericData.Record(schema);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          Schema.Field field = schema.getField(name);
          parser.nextToken();
          if (field == null) {
            parser.skipChildren();
            continue;
          }
          record.put(field.pos(), read(parser, field.schema(), path.isEmpty() ? name : path + "." + name));
        }
        for (Schema.Field field : schema.getFields()) {
          if (record.get(field.pos()) == null && !accepts(field.schema(), null)) {
            throw new AlertCodecException("JSON message lacks field " + (path.isEmpty() ? "" : path + ".")
                + field.name() + " of " + schema.getFullName());
          }
        }
        return record;
      }
      case ARRAY: {
        expect(token == JsonToken.START_ARRAY, parser, schema, path);
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, schema.getElementType(), path + "[]"));
        }
        return new GenericData.Array<>(schema, items);
      }
      case MAP: {
        expect(token == JsonToken.START_OBJECT, parser, schema, path);
        Map<Utf8, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          map.put(new Utf8(key), read(parser, schema.getValueType(), path + "{}"));
        }
        return map;
      }
      case STRING:
        expect(token == JsonToken.VALUE_STRING, parser, schema, path);
        return new Utf8(parser.getText());
      case ENUM:
        expect(token == JsonToken.VALUE_STRING, parser, schema, path);
        return new GenericData.EnumSymbol(schema, parser.getText());
      case BYTES:
        expect(token == JsonToken.VALUE_STRING, parser, schema, path);
        return ByteBuffer.wrap(base64(parser, path));
      case FIXED:
        expect(token == JsonToken.VALUE_STRING, parser, schema, path);
        return new GenericData.Fixed(schema, base64(parser, path));
      case INT:
        expect(token == JsonToken.VALUE_NUMBER_INT, parser, schema, path);
        return parser.getIntValue();
      case LONG:
        expect(token == JsonToken.VALUE_NUMBER_INT, parser, schema, path);
        return parser.getLongValue();
      case FLOAT:
        return (float) readDouble(parser, schema, path);
      case DOUBLE:
        return readDouble(parser, schema, path);
      case BOOLEAN:
        expect(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, parser, schema, path);
        return token == JsonToken.VALUE_TRUE;
      default:
        throw new AlertCodecException("field " + path + " has Avro type " + schema.getType() + ", not read as JSON");
    }
  }

  private static Object readUnion(JsonParser parser, Schema union, String path) throws IOException {
    JsonToken token = parser.currentToken();
    for (Schema branch : union.getTypes()) {
      if (fits(branch, token)) {
        return read(parser, branch, path);
      }
    }
    throw new AlertCodecException("JSON message has " + token + " at " + path + " where " + union + " is expected");
  }

  /** Whether a JSON token may start a value of {@code schema} (the first fitting branch of a union is read). */
  private static boolean fits(Schema schema, JsonToken token) {
    return switch (schema.getType()) {
      case NULL -> token == JsonToken.VALUE_NULL;
      case RECORD, MAP -> token == JsonToken.START_OBJECT;
      case ARRAY -> token == JsonToken.START_ARRAY;
      case STRING, ENUM, BYTES, FIXED -> token == JsonToken.VALUE_STRING;
      case INT, LONG -> token == JsonToken.VALUE_NUMBER_INT;
      case FLOAT, DOUBLE -> token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT
          || token == JsonToken.VALUE_STRING;
      case BOOLEAN -> token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
      default -> false;
    };
  }

  private static boolean accepts(Schema schema, Object value) {
    return value == null && (schema.getType() == Schema.Type.NULL || (schema.getType() == Schema.Type.UNION
        && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)));
  }

  private static double readDouble(JsonParser parser, Schema schema, String path) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      return switch (parser.getText()) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> throw new AlertCodecException("field " + path + " is the string \"" + parser.getText()
            + "\" where a number (or \"NaN\", \"Infinity\", \"-Infinity\") is expected");
      };
    }
    expect(token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT, parser, schema, path);
    return parser.getDoubleValue();
  }

  private static byte[] base64(JsonParser parser, String path) throws IOException {
    try {
      return BASE64_IN.decode(parser.getText());
    } catch (IllegalArgumentException e) {
      throw new AlertCodecException("field " + path + " is not base64: " + e.getMessage());
    }
  }

  private static void expect(boolean ok, JsonParser parser, Schema schema, String path) {
    if (!ok) {
      throw new AlertCodecException("JSON message has " + parser.currentToken() + " at " + (path.isEmpty()
          ? "the top" : path) + " where Avro " + schema.getType().getName() + " is expected");
    }
  }
}
