package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlTransient;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

/** JAXB binding of the root {@code <distribution-rules>} element (original single-stream format). */
@XmlRootElement(name = "distribution-rules")
@XmlAccessorType(XmlAccessType.FIELD)
final class XmlRules {
  @XmlElement XmlColumnList select;
  @XmlElement XmlColumnList drop;
  @XmlElement XmlColumnList filter;

  @XmlLocation @XmlTransient Locator locator;
}
