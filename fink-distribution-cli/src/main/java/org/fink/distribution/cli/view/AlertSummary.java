package org.fink.distribution.cli.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.kafka.ConsumedAlert;

/**
 * The few fields of an alert the live table shows, for either survey: only those the alert has (a survey's missing
 * fields are absent, not null).
 *
 * <pre>{@code
 * Map<String, Object> row = AlertSummary.of(42, consumed);  // {seq=42, objectId=ZTF21..., candid=..., mjd=..., ...}
 * }</pre>
 */
public final class AlertSummary {
  /** Table columns: key, header. */
  static final List<List<String>> COLUMNS = List.of(List.of("objectId", "object"), List.of("id", "alert id"),
      List.of("mjd", "MJD"), List.of("ra", "ra"), List.of("dec", "dec"), List.of("mag", "mag"),
      List.of("flux", "flux [nJy]"), List.of("band", "band"), List.of("topic", "topic"));
  private static final String[] ZTF_BANDS = {"?", "g", "r", "i"};

  private AlertSummary() {}

  /** The summary of the {@code seq}-th alert the viewer received. */
  public static Map<String, Object> of(long seq, ConsumedAlert consumed) {
    GenericRecord a = consumed.alert();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("seq", seq);
    if (AlertValues.get(a, "candidate") instanceof GenericRecord c) {
      putId(row, "objectId", AlertValues.get(a, "objectId"));
      putId(row, "id", AlertValues.get(a, "candid"));
      Double jd = AlertValues.number(c, "jd");
      put(row, "mjd", jd == null ? null : jd - 2400000.5);
      put(row, "ra", AlertValues.get(c, "ra"));
      put(row, "dec", AlertValues.get(c, "dec"));
      put(row, "mag", AlertValues.get(c, "magpsf"));
      Double fid = AlertValues.number(c, "fid");
      put(row, "band", fid != null && fid >= 1 && fid <= 3 ? ZTF_BANDS[fid.intValue()] : null);
    } else if (AlertValues.get(a, "diaSource") instanceof GenericRecord s) {
      Object object = AlertValues.get(a, "diaObject.diaObjectId");
      putId(row, "objectId", object != null ? object : AlertValues.get(s, "diaObjectId"));
      putId(row, "id", AlertValues.get(s, "diaSourceId"));
      put(row, "mjd", AlertValues.get(s, "midpointMjdTai"));
      put(row, "ra", AlertValues.get(s, "ra"));
      put(row, "dec", AlertValues.get(s, "dec"));
      put(row, "flux", AlertValues.get(s, "psfFlux"));
      put(row, "band", AlertValues.get(s, "band"));
    }
    if (!row.containsKey("id") && consumed.alertId() != null) {
      row.put("id", consumed.alertId());
    }
    row.put("topic", consumed.topic());
    row.put("partition", consumed.partition());
    row.put("offset", consumed.offset());
    row.put("timestamp", consumed.timestamp().toString());
    return row;
  }

  /** Ids as text: 64-bit ids (ZTF candid, Rubin diaSourceId) lose digits as JavaScript numbers. */
  private static void putId(Map<String, Object> row, String key, Object value) {
    if (value != null) {
      row.put(key, value.toString());
    }
  }

  private static void put(Map<String, Object> row, String key, Object value) {
    if (value instanceof CharSequence text) {
      row.put(key, text.toString());
    } else if (value instanceof Number n && !(n instanceof Double d && !Double.isFinite(d))
        && !(n instanceof Float f && !Float.isFinite(f))) {
      row.put(key, n);
    }
  }
}
