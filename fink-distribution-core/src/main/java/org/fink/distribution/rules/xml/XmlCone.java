package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAttribute;

/**
 * JAXB binding of {@code <cone ra="candidate.ra" dec="candidate.dec" center="83.63308, 22.0145" radius="30"
 * unit="arcsec"/>}.
 */
final class XmlCone extends XmlCondition {
  @XmlAttribute String ra;
  @XmlAttribute String dec;
  @XmlAttribute String center;
  @XmlAttribute String radius;
  @XmlAttribute String unit;

  @Override
  String element() {
    return "cone";
  }
}
