package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAttribute;

/**
 * JAXB binding of {@code <column name=".." subcol=".." operator=".." value=".."/>}: a field in {@code <select>} and
 * {@code <drop>}, a condition on a field in {@code <filter>} and groups.
 */
final class XmlColumn extends XmlCondition {
  @XmlAttribute String name;
  @XmlAttribute String subcol;
  @XmlAttribute String operator;
  @XmlAttribute String value;

  XmlColumn() {}

  XmlColumn(String name, String subcol, String operator, String value) {
    this.name = name;
    this.subcol = subcol;
    this.operator = operator;
    this.value = value;
  }

  @Override
  String element() {
    return "column";
  }
}
