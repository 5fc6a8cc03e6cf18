package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.List;

/** An element holding conditions: {@code <filter>}, {@code <and>}, {@code <or>}, {@code <not>}, array conditions. */
@XmlTransient
abstract class XmlGroup extends XmlCondition {
  @XmlElements({
      @XmlElement(name = "column", type = XmlColumn.class),
      @XmlElement(name = "and", type = XmlGroups.And.class),
      @XmlElement(name = "or", type = XmlGroups.Or.class),
      @XmlElement(name = "not", type = XmlGroups.Not.class),
      @XmlElement(name = "count", type = XmlArrayConditions.Count.class),
      @XmlElement(name = "any", type = XmlArrayConditions.Any.class),
      @XmlElement(name = "all", type = XmlArrayConditions.All.class),
      @XmlElement(name = "min", type = XmlArrayConditions.Min.class),
      @XmlElement(name = "max", type = XmlArrayConditions.Max.class),
      @XmlElement(name = "span", type = XmlArrayConditions.Span.class),
      @XmlElement(name = "cone", type = XmlCone.class),
      @XmlElement(name = "watchlist", type = XmlWatchlist.class)})
  List<XmlCondition> conditions = new ArrayList<>();
}
