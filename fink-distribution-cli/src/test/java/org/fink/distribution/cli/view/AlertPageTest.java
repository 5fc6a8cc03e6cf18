package org.fink.distribution.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert pages of both surveys from real alerts: ZTF magnitudes with upper limits, Rubin fluxes from plain FITS
 * cutouts; each page has only the fields its survey has; the export is one file with everything inside.
 */
class AlertPageTest {
  private static final Pattern IMG = Pattern.compile("<img class=\"cutout( broken)?\"");

  private static ConsumedAlert consumed(GenericRecord alert) {
    return new ConsumedAlert("topic", 0, 7, null, null, null, 0L, MessageFormat.FINK, alert, Instant.EPOCH);
  }

  private static long count(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    long n = 0;
    while (m.find()) {
      n += m.group(1) == null ? 1 : 0;
    }
    return n;
  }

  @Test
  void ztfAlertHasMagnitudesAndUpperLimits() {
    Path file = SharedData.avroFiles(SharedData.ztfAlerts()).get(1);
    GenericRecord alert = SharedData.readContainer(file).records().get(0);
    List<?> history = (List<?>) alert.get("prv_candidates");
    long detections = 1 + history.stream().filter(p -> ((GenericRecord) p).get("magpsf") != null).count();
    long limits = history.stream().map(GenericRecord.class::cast)
        .filter(p -> p.get("magpsf") == null && p.get("diffmaglim") != null).count();
    LightCurve curve = LightCurve.of(alert);
    assertEquals("mag", curve.unit());
    assertEquals(detections, curve.detections());
    assertEquals(limits, curve.upperLimits());
    double jd = (Double) ((GenericRecord) alert.get("candidate")).get("jd");
    assertTrue(curve.points().stream().anyMatch(p -> p.mjd() == jd - 2400000.5 && !p.upperLimit()), "MJD = jd - 2400000.5");

    String page = AlertPage.section(1, consumed(alert), Stretch.ASINH, AlertPage.Links.EMBEDDED);
    assertEquals(3, count(IMG, page), "three readable cutouts");
    assertTrue(page.contains("data-detections=\"" + detections + "\""));
    assertTrue(page.contains("<th>candidate.magpsf</th>"));
    assertFalse(page.contains("diaSource"), "no Rubin field on a ZTF page");
    Map<String, Object> row = AlertSummary.of(1, consumed(alert));
    assertEquals(String.valueOf(alert.get("candid")), row.get("id"), "ids as text");
    assertFalse(row.containsKey("flux"));
  }

  @Test
  void rubinAlertHasFluxesAndPlainFitsCutouts() throws Exception {
    Path folder = SharedData.require("lsst/alerts/container");
    GenericRecord alert = SharedData.readContainer(SharedData.avroFiles(folder).get(0)).records().get(0);
    Object history = alert.get("prvDiaSources");
    long detections = 1 + (history instanceof List<?> list
        ? list.stream().filter(p -> ((GenericRecord) p).get("psfFlux") != null).count() : 0);
    LightCurve curve = LightCurve.of(alert);
    assertEquals("nJy", curve.unit());
    assertEquals(detections, curve.detections());
    assertEquals(0, curve.upperLimits());

    String page = AlertPage.section(3, consumed(alert), Stretch.ZSCALE, AlertPage.Links.SERVER);
    long present = AlertValues.CUTOUTS.stream().filter(c -> alert.get(c) != null).count();
    assertEquals(present, count(IMG, page), "every cutout the alert has decodes: " + page.substring(0, 600));
    assertTrue(page.contains("href=\"/alert/3.avro\""));
    assertTrue(page.contains("<th>diaSource.psfFlux</th>"));
    assertFalse(page.contains("magpsf"), "no ZTF field on a Rubin page");
    Map<String, Object> row = AlertSummary.of(3, consumed(alert));
    assertTrue(row.containsKey("flux") && !row.containsKey("mag"), row.toString());
  }

  @Test
  void exportIsOneFileWithEverythingInside(@TempDir Path dir) throws Exception {
    List<ConsumedAlert> alerts = SharedData.avroFiles(SharedData.ztfAlerts()).stream().limit(2)
        .map(f -> consumed(SharedData.readContainer(f).records().get(0))).toList();
    Path html = dir.resolve("out/alerts.html");
    StaticExport.write(html, "two alerts", alerts, Stretch.ZSCALE);
    String page = Files.readString(html);
    assertEquals(2, page.split("<section class=\"alert\"", -1).length - 1);
    assertFalse(page.contains("src=\"/") || page.contains("href=\"/"), "no link to a server");
    assertTrue(page.contains("Chart.js v" + Assets.CHART_JS_VERSION), "Chart.js inlined");
    assertTrue(page.contains("data:application/avro;base64,"));
    assertEquals(1, Files.list(html.getParent()).count(), "no temporary file left");
  }
}
