package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.Map;
import javax.xml.namespace.QName;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

/** What every element of a rules file has: where it was read, and any attribute it should not have (to report). */
@XmlTransient
@XmlAccessorType(XmlAccessType.FIELD)
abstract class XmlNode {
  /** Any attribute not bound to a field: a typo ({@code subcoll}) to report, not to ignore. */
  @XmlAnyAttribute Map<QName, String> otherAttributes;

  @XmlLocation @XmlTransient Locator locator;

  /** The element name, for messages. */
  abstract String element();
}
