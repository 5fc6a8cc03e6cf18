package org.fink.distribution.cli.view;

import java.util.Arrays;
import java.util.Locale;

/**
 * How pixel values map to grey levels: the display limits {@code [low, high]} and the curve between them.
 *
 * <ul>
 *   <li>{@link #ZSCALE}: IRAF's zscale limits (a line fitted to the sorted sample of pixels, its slope divided by
 *       the contrast 0.25), linear in between: the usual choice for vetting, noise visible around the source;
 *   <li>{@link #ASINH}: limits at the 0.5 and 99.5 percentiles and an inverse hyperbolic sine curve (softening
 *       0.1): faint wings and a bright core both visible.
 * </ul>
 *
 * <pre>{@code
 * Stretch.Limits limits = Stretch.ZSCALE.limits(cutout);
 * double grey = Stretch.ZSCALE.level(value, limits);   // 0..1
 * }</pre>
 */
public enum Stretch {
  ZSCALE,
  ASINH;

  private static final double CONTRAST = 0.25;
  private static final int MAX_SAMPLES = 1000;
  private static final double SOFTENING = 0.1;

  /** Display limits; {@code high > low}. */
  public record Limits(double low, double high) {}

  /** Reads {@code zscale} or {@code asinh} (case-insensitive); null or anything else gives {@link #ZSCALE}. */
  public static Stretch parse(String name) {
    return name != null && name.strip().toLowerCase(Locale.ROOT).equals("asinh") ? ASINH : ZSCALE;
  }

  /** This stretch's name in URLs and on pages: {@code zscale} or {@code asinh}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The display limits of {@code cutout}: finite pixels only; (0, 1) when it has none. */
  public Limits limits(Cutout cutout) {
    double[] finite = new double[cutout.width() * cutout.height()];
    int n = 0;
    for (int y = 0; y < cutout.height(); y++) {
      for (int x = 0; x < cutout.width(); x++) {
        double v = cutout.pixel(x, y);
        if (Double.isFinite(v)) {
          finite[n++] = v;
        }
      }
    }
    if (n == 0) {
      return new Limits(0, 1);
    }
    double[] values = Arrays.copyOf(finite, n);
    Arrays.sort(values);
    Limits limits = this == ZSCALE ? zscale(values) : new Limits(percentile(values, 0.005), percentile(values, 0.995));
    if (!(limits.high() > limits.low())) {
      double low = values[0];
      double high = values[n - 1];
      return high > low ? new Limits(low, high) : new Limits(low - 0.5, low + 0.5);
    }
    return limits;
  }

  /** The grey level (0 black, 1 white) of {@code value} within {@code limits}; NaN stays NaN. */
  public double level(double value, Limits limits) {
    if (Double.isNaN(value)) {
      return Double.NaN;
    }
    double t = Math.min(1, Math.max(0, (value - limits.low()) / (limits.high() - limits.low())));
    return this == ZSCALE ? t : asinh(t / SOFTENING) / asinh(1 / SOFTENING);
  }

  /** The value shown at grey level {@code level} (0..1), the inverse of {@link #level}: for the colour bar's ticks. */
  public double value(double level, Limits limits) {
    double t = this == ZSCALE ? level : SOFTENING * Math.sinh(level * asinh(1 / SOFTENING));
    return limits.low() + t * (limits.high() - limits.low());
  }

  private static double asinh(double x) {
    return Math.log(x + Math.sqrt(x * x + 1));
  }

  private static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int i = (int) Math.floor(position);
    int j = Math.min(sorted.length - 1, i + 1);
    return sorted[i] + (position - i) * (sorted[j] - sorted[i]);
  }

  /** IRAF zscale on sorted finite values: sample, fit a line with iterative 2.5-sigma rejection, scale the slope. */
  private static Limits zscale(double[] sorted) {
    int stride = Math.max(1, sorted.length / MAX_SAMPLES);
    double[] sample = new double[(sorted.length + stride - 1) / stride];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = sorted[i * stride];
    }
    int n = sample.length;
    double median = n % 2 == 1 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2;
    int minPixels = Math.max(5, n / 2);
    boolean[] rejected = new boolean[n];
    double slope = 0;
    double intercept = median;
    int kept = n;
    for (int iteration = 0; iteration < 5 && kept >= minPixels; iteration++) {
      double sx = 0;
      double sy = 0;
      double sxx = 0;
      double sxy = 0;
      for (int i = 0; i < n; i++) {
        if (!rejected[i]) {
          sx += i;
          sy += sample[i];
          sxx += (double) i * i;
          sxy += i * sample[i];
        }
      }
      double denominator = kept * sxx - sx * sx;
      if (denominator == 0) {
        break;
      }
      slope = (kept * sxy - sx * sy) / denominator;
      intercept = (sy - slope * sx) / kept;
      double sumSq = 0;
      for (int i = 0; i < n; i++) {
        if (!rejected[i]) {
          double r = sample[i] - (intercept + slope * i);
          sumSq += r * r;
        }
      }
      double sigma = Math.sqrt(sumSq / kept);
      int newlyRejected = 0;
      for (int i = 0; i < n; i++) {
        if (!rejected[i] && Math.abs(sample[i] - (intercept + slope * i)) > 2.5 * sigma) {
          rejected[i] = true;
          newlyRejected++;
        }
      }
      kept -= newlyRejected;
      if (newlyRejected == 0) {
        break;
      }
    }
    if (kept < minPixels) {
      return new Limits(sorted[0], sorted[sorted.length - 1]);
    }
    double scaled = slope / CONTRAST;
    double low = Math.max(sorted[0], median - (n / 2) * scaled);
    double high = Math.min(sorted[sorted.length - 1], median + (n - n / 2) * scaled);
    return new Limits(low, high);
  }
}
