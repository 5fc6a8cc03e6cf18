package org.fink.distribution.rules.xml;

/** JAXB bindings of {@code <filter>}, {@code <and>}, {@code <or>} and {@code <not>}: conditions and nothing else. */
final class XmlGroups {
  private XmlGroups() {}

  /** {@code <filter>}: its conditions are ANDed. */
  static final class Filter extends XmlGroup {
    @Override
    String element() {
      return "filter";
    }
  }

  static final class And extends XmlGroup {
    @Override
    String element() {
      return "and";
    }
  }

  static final class Or extends XmlGroup {
    @Override
    String element() {
      return "or";
    }
  }

  static final class Not extends XmlGroup {
    @Override
    String element() {
      return "not";
    }
  }
}
