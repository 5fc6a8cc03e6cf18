package org.fink.distribution.cli.view;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.kafka.ConsumedAlert;

/**
 * The HTML section of one alert: its three cutouts as PNG (data: URIs; an unreadable or missing cutout shows a
 * placeholder and says why), the light curve (a canvas that {@code view.js} draws with Chart.js from the JSON beside
 * it; {@code data-detections} holds the number of detections), download links and the table of its fields.
 *
 * <pre>{@code
 * String section = AlertPage.section(7, consumed, Stretch.ZSCALE, AlertPage.Links.SERVER);
 * }</pre>
 */
public final class AlertPage {
  /** Where the download links point. */
  public enum Links {
    /** {@code /alert/<seq>.avro} and {@code .json} on the viewer's server. */
    SERVER,
    /** The files themselves as data: URIs, for a page that stands alone. */
    EMBEDDED
  }

  private static final String[] CAPTIONS = {"Science", "Template", "Difference"};

  private AlertPage() {}

  /** The section of the {@code seq}-th alert. */
  public static String section(long seq, ConsumedAlert consumed, Stretch stretch, Links links) {
    GenericRecord alert = consumed.alert();
    Map<String, Object> summary = AlertSummary.of(seq, consumed);
    StringBuilder h = new StringBuilder();
    h.append("<section class=\"alert\" id=\"alert-").append(seq).append("\" data-seq=\"").append(seq).append("\">\n");
    h.append("<h2>").append(HtmlText.escape(summary.getOrDefault("objectId", "alert"))).append(" <small>")
        .append(HtmlText.escape(summary.getOrDefault("id", ""))).append("</small></h2>\n");
    h.append("<p class=\"meta\">").append(HtmlText.escape(consumed.topic()));
    if (consumed.partition() >= 0) { // from Kafka (a negative partition: from the science database)
      h.append(" partition ").append(consumed.partition()).append(" offset ").append(consumed.offset())
          .append(", published ").append(HtmlText.escape(consumed.timestamp()));
    }
    h.append(" &middot; download ");
    downloads(h, seq, alert, links);
    if (links == Links.SERVER) {
      h.append(" &middot; stretch ");
      for (Stretch s : Stretch.values()) {
        h.append(s == stretch ? "<b>" + s.label() + "</b>" : "<a href=\"?stretch=" + s.label() + "\">" + s.label()
            + "</a>").append(' ');
      }
    }
    h.append("</p>\n<div class=\"cutouts\">\n");
    Cutout.Orientation orientation = null;
    boolean anyCutout = false;
    for (int i = 0; i < AlertValues.CUTOUTS.size(); i++) {
      String field = AlertValues.CUTOUTS.get(i);
      if (!AlertValues.has(alert, field)) {
        continue;
      }
      anyCutout = true;
      String kind = CAPTIONS[i].toLowerCase(Locale.ROOT);
      byte[] bytes = AlertValues.cutout(alert, field);
      String caption;
      byte[] png;
      boolean ok = false;
      if (bytes == null) {
        png = CutoutPng.placeholder(63, 63);
        caption = "no " + field + " in this alert";
      } else {
        try {
          Cutout cutout = Cutout.decode(bytes);
          png = CutoutPng.render(cutout, stretch);
          PixelStatistics s = cutout.statistics();
          caption = String.format(Locale.ROOT, "%dx%d, %s: min %.4g, median %.4g, max %.4g%s", cutout.width(),
              cutout.height(), stretch.label(), s.min(), s.median(), s.max(),
              s.nanCount() == 0 ? "" : ", " + s.nanCount() + " NaN");
          orientation = orientation == null ? cutout.orientation() : orientation;
          ok = true;
        } catch (IOException | RuntimeException e) {
          png = CutoutPng.placeholder(63, 63);
          caption = "unreadable " + field + ": " + e.getMessage();
        }
      }
      h.append("<figure><figcaption><b>").append(CAPTIONS[i]).append("</b></figcaption><img class=\"cutout")
          .append(ok ? "" : " broken").append("\" data-kind=\"").append(kind).append("\" alt=\"")
          .append(CAPTIONS[i]).append(" cutout\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption class=\"")
          .append(ok ? "stats" : "problem").append("\">").append(HtmlText.escape(caption))
          .append("</figcaption></figure>\n");
    }
    h.append("</div>\n");
    if (anyCutout) {
      h.append("<p class=\"orientation\">").append(orientation != null
          ? "Yellow arrows: North (N) and East (E) from the cutouts' WCS; FITS row 1 at the bottom."
          : "No WCS in the cutouts' headers: North and East unknown; FITS pixel (1,1) at the bottom left.")
          .append("</p>\n");
    }
    LightCurve curve = LightCurve.of(alert);
    h.append("<h3>Light curve <small>").append(curve.detections()).append(" detections, ")
        .append(curve.upperLimits()).append(" upper limits</small></h3>\n");
    h.append("<div class=\"lightcurve\"><canvas class=\"lightcurve\" data-source=\"lc-").append(seq)
        .append("\" data-detections=\"").append(curve.detections()).append("\" data-upper-limits=\"")
        .append(curve.upperLimits()).append("\"></canvas></div>\n");
    h.append("<script type=\"application/json\" id=\"lc-").append(seq).append("\">").append(HtmlText.json(curve))
        .append("</script>\n");
    h.append("<details class=\"fields\" open><summary>Fields</summary><table class=\"fields\">\n");
    for (Map.Entry<String, String> f : AlertValues.flat(alert).entrySet()) {
      h.append("<tr><th>").append(HtmlText.escape(f.getKey())).append("</th><td>")
          .append(HtmlText.escape(f.getValue())).append("</td></tr>\n");
    }
    h.append("</table></details>\n</section>\n");
    return h.toString();
  }

  private static void downloads(StringBuilder h, long seq, GenericRecord alert, Links links) {
    String name = "alert-" + seq;
    if (links == Links.SERVER) {
      h.append("<a class=\"download\" href=\"/alert/").append(seq).append(".avro\" download=\"").append(name)
          .append(".avro\">Avro</a> <a class=\"download\" href=\"/alert/").append(seq).append(".json\" download=\"")
          .append(name).append(".json\">JSON</a>");
    } else {
      h.append("<a class=\"download\" href=\"data:application/avro;base64,")
          .append(Base64.getEncoder().encodeToString(AlertFiles.avro(alert))).append("\" download=\"").append(name)
          .append(".avro\">Avro</a> <a class=\"download\" href=\"data:application/json;base64,")
          .append(Base64.getEncoder().encodeToString(AlertFiles.json(alert))).append("\" download=\"")
          .append(name).append(".json\">JSON</a>");
    }
  }
}
