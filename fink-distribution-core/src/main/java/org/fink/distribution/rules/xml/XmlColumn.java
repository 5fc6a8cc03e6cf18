package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.Map;
import javax.xml.namespace.QName;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

/** JAXB binding of {@code <column name=".." subcol=".." operator=".." value=".."/>}. */
@XmlAccessorType(XmlAccessType.FIELD)
final class XmlColumn {
  @XmlAttribute String name;
  @XmlAttribute String subcol;
  @XmlAttribute String operator;
  @XmlAttribute String value;
  /** Any other attribute: a typo ({@code subcoll}) to report, not to ignore. */
  @XmlAnyAttribute Map<QName, String> otherAttributes;

  @XmlLocation @XmlTransient Locator locator;

  XmlColumn() {}

  XmlColumn(String name, String subcol, String operator, String value) {
    this.name = name;
    this.subcol = subcol;
    this.operator = operator;
    this.value = value;
  }
}
