package org.fink.distribution.cli.view;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * The light curve of an alert from the alert itself and its history: ZTF's {@code candidate} and
 * {@code prv_candidates} in magnitudes (a previous candidate with a null {@code magpsf} but a {@code diffmaglim} is
 * an upper limit: the source was fainter than that), Rubin's {@code diaSource} and {@code prvDiaSources} as PSF flux
 * in nJy. Time is MJD ({@code jd - 2400000.5} for ZTF, {@code midpointMjdTai} for Rubin).
 *
 * <pre>{@code
 * LightCurve curve = LightCurve.of(alert);
 * curve.detections();  // points with a measurement, the current one included
 * }</pre>
 *
 * @param quantity {@code mag} or {@code flux}
 * @param unit {@code mag} or {@code nJy}
 * @param points detections and upper limits, by time
 */
public record LightCurve(String quantity, String unit, List<Point> points) {
  private static final double JD_TO_MJD = 2400000.5;
  private static final String[] ZTF_BANDS = {"?", "g", "r", "i"};

  /**
   * One measurement or upper limit.
   *
   * @param band filter name (ZTF g, r, i; Rubin u, g, r, i, z, y)
   * @param mjd time, MJD
   * @param value magnitude or flux; for an upper limit the limiting magnitude
   * @param error 1-sigma error, null if unknown (and for upper limits)
   * @param upperLimit true for a non-detection with a limiting magnitude
   */
  public record Point(String band, double mjd, double value, Double error, boolean upperLimit) {}

  /** The light curve of {@code alert}; empty (quantity {@code mag}) for an alert of neither survey. */
  public static LightCurve of(GenericRecord alert) {
    if (AlertValues.get(alert, "candidate") instanceof GenericRecord candidate) {
      List<Point> points = new ArrayList<>();
      ztf(candidate, points);
      if (AlertValues.get(alert, "prv_candidates") instanceof List<?> history) {
        history.stream().filter(GenericRecord.class::isInstance).forEach(p -> ztf((GenericRecord) p, points));
      }
      return sorted("mag", "mag", points);
    }
    if (AlertValues.get(alert, "diaSource") instanceof GenericRecord source) {
      List<Point> points = new ArrayList<>();
      rubin(source, points);
      if (AlertValues.get(alert, "prvDiaSources") instanceof List<?> history) {
        history.stream().filter(GenericRecord.class::isInstance).forEach(p -> rubin((GenericRecord) p, points));
      }
      return sorted("flux", "nJy", points);
    }
    return new LightCurve("mag", "mag", List.of());
  }

  /** Points with a measurement. */
  public long detections() {
    return points.stream().filter(p -> !p.upperLimit()).count();
  }

  /** Points that are upper limits. */
  public long upperLimits() {
    return points.stream().filter(Point::upperLimit).count();
  }

  private static LightCurve sorted(String quantity, String unit, List<Point> points) {
    points.sort(java.util.Comparator.comparingDouble(Point::mjd));
    return new LightCurve(quantity, unit, List.copyOf(points));
  }

  private static void ztf(GenericRecord c, List<Point> into) {
    Double jd = AlertValues.number(c, "jd");
    if (jd == null) {
      return;
    }
    Double fid = AlertValues.number(c, "fid");
    String band = fid != null && fid >= 1 && fid <= 3 ? ZTF_BANDS[fid.intValue()] : "?";
    Double mag = AlertValues.number(c, "magpsf");
    Double limit = AlertValues.number(c, "diffmaglim");
    if (mag != null && Double.isFinite(mag)) {
      into.add(new Point(band, jd - JD_TO_MJD, mag, AlertValues.number(c, "sigmapsf"), false));
    } else if (limit != null && Double.isFinite(limit)) {
      into.add(new Point(band, jd - JD_TO_MJD, limit, null, true));
    }
  }

  private static void rubin(GenericRecord s, List<Point> into) {
    Double mjd = AlertValues.number(s, "midpointMjdTai");
    Double flux = AlertValues.number(s, "psfFlux");
    if (mjd == null || flux == null || !Double.isFinite(flux)) {
      return;
    }
    Object band = AlertValues.get(s, "band");
    Double error = AlertValues.number(s, "psfFluxErr");
    into.add(new Point(band == null ? "?" : band.toString(), mjd, flux,
        error != null && Double.isFinite(error) ? error : null, false));
  }
}
