package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jaxb.core.annotation.XmlLocation;
import org.xml.sax.Locator;

/** JAXB binding of {@code <select>}, {@code <drop>} and {@code <filter>}: a list of columns. */
@XmlAccessorType(XmlAccessType.FIELD)
final class XmlColumnList {
  @XmlElement(name = "column") List<XmlColumn> columns = new ArrayList<>();

  @XmlLocation @XmlTransient Locator locator;
}
