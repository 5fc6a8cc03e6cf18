package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlTransient;

/** An element that is a condition: {@code <column>}, a group, an array condition or {@code <cone>}. */
@XmlTransient
abstract class XmlCondition extends XmlNode {
}
