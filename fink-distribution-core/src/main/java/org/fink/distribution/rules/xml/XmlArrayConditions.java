package org.fink.distribution.rules.xml;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.List;

/**
 * JAXB bindings of the conditions over an array of records: {@code <count>}, {@code <any>}, {@code <all>},
 * {@code <min>}, {@code <max>}, {@code <span>}. Their child conditions apply to each element.
 */
final class XmlArrayConditions {
  private XmlArrayConditions() {}

  /** The attributes of all array conditions; each element allows some of them ({@link #allowed()}). */
  @XmlTransient
  abstract static class Base extends XmlGroup {
    @XmlAttribute String array;
    @XmlAttribute String field;
    @XmlAttribute String include;
    @XmlAttribute String operator;
    @XmlAttribute String value;

    /** The attributes this element takes. */
    abstract List<String> allowed();
  }

  static final class Count extends Base {
    @Override
    String element() {
      return "count";
    }

    @Override
    List<String> allowed() {
      return List.of("array", "operator", "value");
    }
  }

  static final class Any extends Base {
    @Override
    String element() {
      return "any";
    }

    @Override
    List<String> allowed() {
      return List.of("array");
    }
  }

  static final class All extends Base {
    @Override
    String element() {
      return "all";
    }

    @Override
    List<String> allowed() {
      return List.of("array");
    }
  }

  /** {@code <min>}, {@code <max>}, {@code <span>}: an aggregate of a field. */
  @XmlTransient
  abstract static class Aggregate extends Base {
    @Override
    List<String> allowed() {
      return List.of("array", "field", "include", "operator", "value");
    }
  }

  static final class Min extends Aggregate {
    @Override
    String element() {
      return "min";
    }
  }

  static final class Max extends Aggregate {
    @Override
    String element() {
      return "max";
    }
  }

  static final class Span extends Aggregate {
    @Override
    String element() {
      return "span";
    }
  }
}
