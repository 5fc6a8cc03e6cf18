package org.fink.distribution.cli.view;

import java.util.Arrays;

/**
 * Summary of an image's pixels, NaN (blank) pixels left out of min, max and median.
 *
 * <pre>{@code
 * PixelStatistics s = PixelStatistics.of(new double[] {1, 2, Double.NaN});  // min 1, max 2, median 1.5, 1 NaN
 * }</pre>
 *
 * @param min smallest finite value (NaN if none)
 * @param max largest finite value (NaN if none)
 * @param median median of the finite values (mean of the two middle ones for an even count; NaN if none)
 * @param nanCount pixels that are NaN or infinite
 */
public record PixelStatistics(double min, double max, double median, int nanCount) {
  /** The statistics of {@code pixels}. */
  public static PixelStatistics of(double[] pixels) {
    double[] finite = Arrays.stream(pixels).filter(Double::isFinite).sorted().toArray();
    int n = finite.length;
    if (n == 0) {
      return new PixelStatistics(Double.NaN, Double.NaN, Double.NaN, pixels.length);
    }
    double median = n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
    return new PixelStatistics(finite[0], finite[n - 1], median, pixels.length - n);
  }
}
