package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAttribute;

/**
 * JAXB binding of {@code <watchlist ra="candidate.ra" dec="candidate.dec" file="watchlist.csv" radius="2"
 * unit="arcsec" annotate="true"/>}.
 */
final class XmlWatchlist extends XmlCondition {
  @XmlAttribute String ra;
  @XmlAttribute String dec;
  @XmlAttribute String file;
  @XmlAttribute String radius;
  @XmlAttribute String unit;
  @XmlAttribute String annotate;

  @Override
  String element() {
    return "watchlist";
  }
}
