package org.fink.distribution.rules;

/**
 * The distance test of a {@link Cone}, with its constants computed once: a position is inside when the haversine of
 * its angular distance to the centre is at most the haversine of the radius,
 * {@code sin²(Δdec/2) + cos(dec)·cos(dec₀)·sin²(Δra/2) <= sin²(r/2)}, which is exact on the sphere and well
 * conditioned for small radii.
 *
 * <p>The Spark evaluator builds the same expression, operation by operation in the same order, with these constants,
 * so both evaluators decide every alert alike.
 *
 * <pre>{@code
 * ConeGeometry g = new ConeGeometry(83.63308, 22.01450, 0.1);
 * g.contains(83.6, 22.0);   // true
 * }</pre>
 */
public final class ConeGeometry {
  /** Degrees to radians, the factor both evaluators multiply by. */
  public static final double RADIANS_PER_DEGREE = Math.PI / 180;

  private final double centerRaRadians;
  private final double centerDecRadians;
  private final double cosCenterDec;
  private final double haversineLimit;

  /**
   * @param centerRa centre right ascension, degrees
   * @param centerDec centre declination, degrees
   * @param radius radius, degrees
   */
  public ConeGeometry(double centerRa, double centerDec, double radius) {
    this.centerRaRadians = centerRa * RADIANS_PER_DEGREE;
    this.centerDecRadians = centerDec * RADIANS_PER_DEGREE;
    this.cosCenterDec = Math.cos(centerDecRadians);
    double half = Math.sin(radius * RADIANS_PER_DEGREE * 0.5);
    this.haversineLimit = half * half;
  }

  /** The centre's right ascension, radians. */
  public double centerRaRadians() {
    return centerRaRadians;
  }

  /** The centre's declination, radians. */
  public double centerDecRadians() {
    return centerDecRadians;
  }

  /** cos of the centre's declination. */
  public double cosCenterDec() {
    return cosCenterDec;
  }

  /** sin²(radius/2): the largest haversine inside the cone. */
  public double haversineLimit() {
    return haversineLimit;
  }

  /** Whether the position ({@code ra}, {@code dec}, degrees) is inside the cone. */
  public boolean contains(double ra, double dec) {
    double sinDec = Math.sin((dec * RADIANS_PER_DEGREE - centerDecRadians) * 0.5);
    double sinRa = Math.sin((ra * RADIANS_PER_DEGREE - centerRaRadians) * 0.5);
    double haversine = sinDec * sinDec + Math.cos(dec * RADIANS_PER_DEGREE) * cosCenterDec * (sinRa * sinRa);
    return haversine <= haversineLimit;
  }
}
