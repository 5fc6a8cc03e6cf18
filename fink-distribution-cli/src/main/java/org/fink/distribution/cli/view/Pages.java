package org.fink.distribution.cli.view;

import java.util.List;
import java.util.Map;

/**
 * Whole HTML documents: the live page, an alert's page and the standalone export; with the assets linked from the
 * viewer's server or inlined.
 *
 * <pre>{@code
 * String html = Pages.live(List.of("fink_outstream"), 500);
 * }</pre>
 */
public final class Pages {
  private Pages() {}

  /** The live page of {@code topics}: a table filled from the {@code /events} stream, the rate chart, pause. */
  public static String live(List<String> topics, int kept) {
    StringBuilder h = head("Fink alerts: " + String.join(", ", topics), false, "live");
    h.append("<header><h1>Alerts from ").append(HtmlText.escape(String.join(", ", topics))).append("</h1>")
        .append("<span id=\"status\" class=\"status\">connecting</span></header>\n")
        .append("<div class=\"controls\"><button id=\"pause\" type=\"button\">Pause</button> ")
        .append("received <b id=\"count\">0</b> &middot; shown <b id=\"shown\">0</b> &middot; ")
        .append("<span id=\"rate\">0</span> alerts/s (last 10 s)</div>\n")
        .append("<div class=\"ratechart\"><canvas id=\"rate-chart\"></canvas></div>\n")
        .append("<p class=\"note\">Newest first; the viewer keeps the last ").append(kept)
        .append(" alerts for their pages.</p>\n");
    h.append(table(null, AlertSummary.COLUMNS)).append("<tbody></tbody></table>\n");
    return foot(h, false);
  }

  /** The page of one alert. */
  public static String alert(String title, String section) {
    StringBuilder h = head(title, false, "alert");
    h.append("<nav><a href=\"/\">&larr; live stream</a></nav>\n").append(section);
    return foot(h, false);
  }

  /** A page saying {@code message}, for a missing alert. */
  public static String message(String title, String message) {
    StringBuilder h = head(title, false, "message");
    h.append("<nav><a href=\"/\">&larr; live stream</a></nav>\n<p class=\"problem\">").append(HtmlText.escape(message))
        .append("</p>\n");
    return foot(h, false);
  }

  /** A standalone page: the summary table of {@code rows}, then {@code sections}; scripts and styles inlined. */
  public static String export(String title, List<Map<String, Object>> rows, List<String> sections) {
    StringBuilder h = head(title, true, "export");
    h.append("<header><h1>").append(HtmlText.escape(title)).append("</h1></header>\n");
    // only the columns some alert has: a survey's missing fields are absent
    List<List<String>> columns = AlertSummary.COLUMNS.stream()
        .filter(c -> rows.stream().anyMatch(r -> r.containsKey(c.get(0)))).toList();
    h.append(table("export", columns));
    h.append("<tbody>\n");
    for (Map<String, Object> row : rows) {
      h.append("<tr><td><a href=\"#alert-").append(row.get("seq")).append("\">").append(row.get("seq"))
          .append("</a></td>");
      for (List<String> column : columns) {
        Object v = row.get(column.get(0));
        h.append("<td>").append(v == null ? "" : HtmlText.escape(format(column.get(0), v))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");
    sections.forEach(h::append);
    return foot(h, true);
  }

  /** As the live page's script shows numbers: 6 decimals for coordinates, 5 for MJD, 3 for magnitudes. */
  static String format(String key, Object value) {
    if (!(value instanceof Double) && !(value instanceof Float)) {
      return String.valueOf(value);
    }
    double v = ((Number) value).doubleValue();
    return switch (key) {
      case "ra", "dec" -> String.format(java.util.Locale.ROOT, "%.6f", v);
      case "mjd" -> String.format(java.util.Locale.ROOT, "%.5f", v);
      case "mag" -> String.format(java.util.Locale.ROOT, "%.3f", v);
      case "flux" -> String.format(java.util.Locale.ROOT, "%.5g", v);
      default -> String.valueOf(value);
    };
  }

  private static String table(String id, List<List<String>> columns) {
    StringBuilder h = new StringBuilder("<table id=\"alerts\" class=\"alerts\"")
        .append(id == null ? "" : " data-mode=\"" + id + "\"").append("><thead><tr><th>#</th>");
    for (List<String> column : columns) {
      h.append("<th data-key=\"").append(column.get(0)).append("\">").append(HtmlText.escape(column.get(1)))
          .append("</th>");
    }
    return h.append("</tr></thead>").toString();
  }

  private static StringBuilder head(String title, boolean inline, String page) {
    StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(HtmlText.escape(title)).append("</title>\n");
    if (inline) {
      h.append("<style>\n").append(Assets.text("view.css")).append("\n</style>\n");
    } else {
      h.append("<link rel=\"stylesheet\" href=\"/assets/view.css\">\n");
    }
    return h.append("</head>\n<body data-page=\"").append(page).append("\">\n");
  }

  private static String foot(StringBuilder h, boolean inline) {
    if (inline) {
      for (String name : List.of("chart.umd.js", "view.js")) {
        // a script element ends at the first "</script": none may occur inside
        h.append("<script>\n").append(Assets.text(name).replace("</script", "<\\/script")).append("\n</script>\n");
      }
    } else {
      h.append("<script src=\"/assets/chart.umd.js\"></script>\n<script src=\"/assets/view.js\"></script>\n");
    }
    return h.append("</body></html>\n").toString();
  }
}
