package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** JAXB binding of {@code <select>} and {@code <drop>}: a list of columns. */
final class XmlColumnList extends XmlNode {
  @XmlElement(name = "column") List<XmlColumn> columns = new ArrayList<>();

  /** {@code <select>} or {@code <drop>}: the reader knows which (messages name it), the binding does not. */
  @Override
  String element() {
    return "select";
  }
}
