package org.fink.distribution.rules;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Units of a cone radius: {@code deg}, {@code arcmin}, {@code arcsec}.
 *
 * <pre>{@code
 * AngleUnit.ARCSEC.toDegrees(3600);   // 1.0
 * }</pre>
 */
public enum AngleUnit {
  DEG(1), ARCMIN(60), ARCSEC(3600);

  private final int perDegree;

  AngleUnit(int perDegree) {
    this.perDegree = perDegree;
  }

  /** The name in rule files: {@code deg}, {@code arcmin}, {@code arcsec}. */
  public String xmlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public double toDegrees(double angle) {
    return angle / perDegree;
  }

  public double toDegrees(BigDecimal angle) {
    return toDegrees(angle.doubleValue());
  }

  /** The unit named {@code text} ({@code deg}, {@code arcmin}, {@code arcsec}, any case). */
  public static Optional<AngleUnit> parse(String text) {
    String t = text == null ? "" : text.strip();
    return Arrays.stream(values()).filter(u -> u.xmlName().equalsIgnoreCase(t)).findFirst();
  }
}
