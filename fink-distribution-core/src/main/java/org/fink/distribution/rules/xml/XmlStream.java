package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** JAXB binding of {@code <stream name=".." topic="..">} with its own {@code <select>}, {@code <drop>}, {@code <filter>}. */
@XmlType(propOrder = {"select", "drop", "filter"})
final class XmlStream extends XmlNode {
  @XmlAttribute String name;
  @XmlAttribute String topic;
  @XmlElement XmlColumnList select;
  @XmlElement XmlColumnList drop;
  @XmlElement XmlGroups.Filter filter;

  @Override
  String element() {
    return "stream";
  }
}
