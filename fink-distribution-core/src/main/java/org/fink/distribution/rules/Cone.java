package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * True when the position given by the fields {@code ra}, {@code dec} (degrees) lies within {@code radius} of the
 * centre ({@code centerRa}, {@code centerDec}, degrees): the angular (great-circle) distance is at most the radius.
 * False when either field is null. See {@link ConeGeometry} for the computation both evaluators share.
 *
 * <pre>{@code
 * // 5 arcsec around SN 2011fe (M101)
 * Rules.cone("candidate.ra", "candidate.dec").around(210.774208, 54.273722).within(5, AngleUnit.ARCSEC);
 * }</pre>
 */
public record Cone(FieldPath ra, FieldPath dec, BigDecimal centerRa, BigDecimal centerDec, BigDecimal radius,
    AngleUnit unit) implements Condition {
  public Cone {
    Objects.requireNonNull(ra, "ra");
    Objects.requireNonNull(dec, "dec");
    Objects.requireNonNull(unit, "unit");
    centerRa = Objects.requireNonNull(centerRa, "centerRa").stripTrailingZeros();
    centerDec = Objects.requireNonNull(centerDec, "centerDec").stripTrailingZeros();
    radius = Objects.requireNonNull(radius, "radius").stripTrailingZeros();
    if (centerRa.signum() < 0 || centerRa.compareTo(BigDecimal.valueOf(360)) > 0) {
      throw new IllegalArgumentException("cone centre ra " + centerRa.toPlainString()
          + " is not between 0 and 360 degrees");
    }
    if (centerDec.abs().compareTo(BigDecimal.valueOf(90)) > 0) {
      throw new IllegalArgumentException("cone centre dec " + centerDec.toPlainString()
          + " is not between -90 and 90 degrees");
    }
    if (radius.signum() <= 0 || unit.toDegrees(radius) > 180) {
      throw new IllegalArgumentException("cone radius " + radius.toPlainString() + " " + unit.xmlName()
          + " is not above 0 and at most 180 degrees");
    }
  }

  /** The constants of the distance test, for the evaluators. */
  public ConeGeometry geometry() {
    return new ConeGeometry(centerRa.doubleValue(), centerDec.doubleValue(), unit.toDegrees(radius));
  }

  @Override
  public <R> R accept(ConditionVisitor<R> visitor) {
    return visitor.visitCone(this);
  }

  @Override
  public String toString() {
    return ConditionText.of(this);
  }
}
