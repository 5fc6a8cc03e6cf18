package org.fink.distribution.rules;

import java.math.BigDecimal;

/**
 * Builds a {@link Cone}: {@code Rules.cone(raField, decField).around(ra, dec).within(radius, unit)}.
 *
 * <pre>{@code
 * Rules.cone("candidate.ra", "candidate.dec").around(83.63308, 22.0145).within(30, AngleUnit.ARCSEC);
 * }</pre>
 */
public final class ConeBuilder {
  private final FieldPath ra;
  private final FieldPath dec;
  private final BigDecimal centerRa;
  private final BigDecimal centerDec;

  ConeBuilder(FieldPath ra, FieldPath dec, BigDecimal centerRa, BigDecimal centerDec) {
    this.ra = ra;
    this.dec = dec;
    this.centerRa = centerRa;
    this.centerDec = centerDec;
  }

  /** The centre, in degrees. */
  public ConeBuilder around(double ra, double dec) {
    return new ConeBuilder(this.ra, this.dec, BigDecimal.valueOf(ra), BigDecimal.valueOf(dec));
  }

  /**
   * The radius.
   *
   * @throws IllegalStateException when no centre was given
   * @throws IllegalArgumentException when the centre or the radius is out of range
   */
  public Cone within(double radius, AngleUnit unit) {
    if (centerRa == null) {
      throw new IllegalStateException("give the centre first: cone(ra, dec).around(ra0, dec0).within(r, unit)");
    }
    return new Cone(ra, dec, centerRa, centerDec, BigDecimal.valueOf(radius), unit);
  }
}
