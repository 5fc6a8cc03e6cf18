package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.util.ArrayList;
import java.util.List;

/**
 * JAXB binding of the root {@code <distribution-rules>}: {@code <select>}, {@code <drop>}, {@code <filter>} (the
 * original single stream, or what the streams share), then any {@code <stream>} elements.
 */
@XmlRootElement(name = "distribution-rules")
@XmlType(propOrder = {"select", "drop", "filter", "streams"})
final class XmlRules extends XmlNode {
  @XmlElement XmlColumnList select;
  @XmlElement XmlColumnList drop;
  @XmlElement XmlGroups.Filter filter;
  @XmlElement(name = "stream") List<XmlStream> streams = new ArrayList<>();

  @Override
  String element() {
    return "distribution-rules";
  }
}
