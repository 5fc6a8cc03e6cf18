package org.fink.distribution.rules.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.fink.distribution.rules.Comparison;
import org.fink.distribution.rules.Condition;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.DistributionStream;
import org.fink.distribution.rules.FieldPath;
import org.fink.distribution.rules.Literal;
import org.fink.distribution.rules.Operator;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.SourceLocation;
import org.xml.sax.Locator;

/**
 * Reads and writes the XML rule format ({@code conf/distribution-rules.xml}, DESIGN.md §6).
 *
 * <pre>{@code
 * DistributionRules rules = RulesXml.read(Path.of("conf/distribution-rules.xml"));
 * String xml = RulesXml.write(rules);
 * }</pre>
 *
 * <p>Parsing is safe against external entities: a DOCTYPE may declare an internal DTD (as the original files do), but
 * nothing outside the file is ever read.
 */
public final class RulesXml {
  private static final JAXBContext CONTEXT;

  static {
    try {
      CONTEXT = JAXBContext.newInstance(XmlRules.class);
    } catch (JAXBException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RulesXml() {}

  /** Reads a rules file; every problem found is reported, with file, line and column, in one {@link RuleException}. */
  public static DistributionRules read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new RuleException(new RuleProblem(null, "cannot read rules file " + file + ": " + e.getMessage()));
    }
  }

  /** Reads rules from a stream; {@code name} stands for the file in error messages. */
  public static DistributionRules read(InputStream in, String name) {
    List<RuleProblem> problems = new ArrayList<>();
    XmlRules xml = unmarshal(in, name, problems);
    if (xml == null) {
      throw new RuleException(problems);
    }
    DistributionRules rules = new Converter(name, problems).convert(xml);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt((RuleProblem p) -> p.location().line())
          .thenComparingInt(p -> p.location().column()));
      throw new RuleException(problems);
    }
    return rules;
  }

  private static XmlRules unmarshal(InputStream in, String name, List<RuleProblem> problems) {
    try {
      XMLStreamReader reader = safeInputFactory().createXMLStreamReader(in);
      Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
      boolean[] fatal = {false};
      unmarshaller.setEventHandler(event -> {
        problems.add(new RuleProblem(location(name, event), describe(event)));
        fatal[0] |= event.getSeverity() == ValidationEvent.FATAL_ERROR;
        return !fatal[0];  // go on after an error, to report every problem of the file at once
      });
      try {
        Object root = unmarshaller.unmarshal(reader);
        if (root instanceof XmlRules rules) {
          return rules;
        }
        if (problems.isEmpty()) {
          problems.add(new RuleProblem(new SourceLocation(name, 0, 0),
              "not a rules file: the root element must be <distribution-rules>"));
        }
        return null;
      } catch (UnmarshalException e) {
        if (!fatal[0]) {
          problems.add(new RuleProblem(location(name, e), "not a valid rules file: " + rootMessage(e)));
        }
        return null;
      }
    } catch (JAXBException | XMLStreamException e) {
      problems.add(new RuleProblem(location(name, e), "not a valid rules file: " + rootMessage(e)));
      return null;
    }
  }

  /** The line and column an XML parse error carries, if any. */
  private static SourceLocation location(String name, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof XMLStreamException x && x.getLocation() != null && x.getLocation().getLineNumber() > 0) {
        return new SourceLocation(name, x.getLocation().getLineNumber(), x.getLocation().getColumnNumber());
      }
    }
    return new SourceLocation(name, 0, 0);
  }

  private static XMLInputFactory safeInputFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();  // the JDK's, whatever else is on the classpath
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external entity " + systemId + " refused: rules files may not load other files");
    });
    return factory;
  }

  private static SourceLocation location(String name, ValidationEvent event) {
    var locator = event.getLocator();
    return locator == null ? new SourceLocation(name, 0, 0)
        : new SourceLocation(name, locator.getLineNumber(), locator.getColumnNumber());
  }

  private static String describe(ValidationEvent event) {
    String message = event.getMessage();
    if (message == null && event.getLinkedException() != null) {
      message = rootMessage(event.getLinkedException());
    }
    if (message != null && message.startsWith("unexpected element")) {
      message += "; the original format allows <select>, <drop> and <filter> holding <column> elements";
    }
    return message;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() != null ? t.getMessage() : t.toString();
    return message.replaceFirst("^ParseError at \\[row,col\\]:\\[(\\d+),(\\d+)]\\s*Message:\\s*", "line $1, column $2: ");
  }

  /** Writes rules in the XML format; {@code read(write(rules))} equals {@code rules}. */
  public static String write(DistributionRules rules) {
    if (rules.streams().size() != 1) {
      throw new IllegalArgumentException("the original XML format holds one stream; these rules have "
          + rules.streams().size());
    }
    DistributionStream stream = rules.streams().get(0);
    XmlRules xml = new XmlRules();
    xml.select = columns(stream.select());
    xml.drop = stream.drop().isEmpty() ? null : columns(stream.drop());
    if (!stream.filter().isEmpty()) {
      xml.filter = new XmlColumnList();
      for (Condition condition : stream.filter()) {
        Comparison c = (Comparison) condition;
        xml.filter.columns.add(new XmlColumn(c.field().toString(), null, c.operator().symbol(), c.value().toXml()));
      }
    }
    try {
      Marshaller marshaller = CONTEXT.createMarshaller();
      marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
      StringWriter out = new StringWriter();
      marshaller.marshal(xml, out);
      return out.toString();
    } catch (JAXBException e) {
      throw new IllegalStateException("cannot write rules as XML", e);
    }
  }

  private static XmlColumnList columns(List<FieldPath> paths) {
    XmlColumnList list = new XmlColumnList();
    paths.forEach(p -> list.columns.add(new XmlColumn(p.toString(), null, null, null)));
    return list;
  }

  /** Turns the JAXB tree into the rule AST, collecting every problem. */
  private static final class Converter {
    private final String file;
    private final List<RuleProblem> problems;
    private final Map<Object, SourceLocation> locations = new IdentityHashMap<>();

    Converter(String file, List<RuleProblem> problems) {
      this.file = file;
      this.problems = problems;
    }

    DistributionRules convert(XmlRules xml) {
      if (xml.select == null || xml.select.columns.isEmpty()) {
        problems.add(new RuleProblem(at(xml.locator),
            "<select> is missing or empty; list the fields to distribute, e.g. <select><column name=\"objectId\"/>"
                + "<column name=\"candidate\"/></select>"));
      }
      List<FieldPath> select = paths(xml.select, "select");
      List<FieldPath> drop = paths(xml.drop, "drop");
      List<Condition> filter = new ArrayList<>();
      if (xml.filter != null) {
        for (XmlColumn column : xml.filter.columns) {
          Condition condition = condition(column);
          if (condition != null) {
            filter.add(condition);
          }
        }
      }
      DistributionStream stream = new DistributionStream(DistributionRules.DEFAULT_STREAM, null, select, drop, filter);
      locations.put(stream, at(xml.locator));
      return new DistributionRules(List.of(stream), locations);
    }

    private List<FieldPath> paths(XmlColumnList list, String element) {
      List<FieldPath> paths = new ArrayList<>();
      if (list == null) {
        return paths;
      }
      for (XmlColumn column : list.columns) {
        if (column.operator != null || column.value != null) {
          problems.add(new RuleProblem(at(column.locator), "<column> in <" + element
              + "> takes only name and subcol; put conditions (operator, value) in <filter>"));
        }
        FieldPath path = path(column);
        if (path != null) {
          paths.add(path);
        }
      }
      return paths;
    }

    private FieldPath path(XmlColumn column) {
      if (column.otherAttributes != null) {
        for (QName attribute : column.otherAttributes.keySet()) {
          problems.add(new RuleProblem(at(column.locator), "<column> has an unknown attribute "
              + attribute.getLocalPart() + "; the attributes are name, subcol, operator and value"));
        }
      }
      if (column.name == null || column.name.isBlank()) {
        problems.add(new RuleProblem(at(column.locator), "<column> needs a name attribute, e.g. name=\"candidate\""));
        return null;
      }
      try {
        FieldPath path = FieldPath.of(column.name, column.subcol);
        locations.put(path, at(column.locator));
        return path;
      } catch (IllegalArgumentException e) {
        problems.add(new RuleProblem(at(column.locator), e.getMessage()));
        return null;
      }
    }

    private Condition condition(XmlColumn column) {
      FieldPath path = path(column);
      if (column.operator == null) {
        problems.add(new RuleProblem(at(column.locator),
            "<column> in <filter> needs an operator attribute: one of < <= = != >= > (in XML write &lt; for <)"));
        return null;
      }
      Operator operator = Operator.parse(column.operator).orElse(null);
      if (operator == null) {
        problems.add(new RuleProblem(at(column.locator), "unknown operator \"" + column.operator
            + "\"; use one of < <= = != >= > (or lt le eq ne ge gt)"));
      }
      if (column.value == null) {
        problems.add(new RuleProblem(at(column.locator), "<column> in <filter> needs a value attribute: a number,"
            + " or a string in single quotes such as value=\"'Star'\""));
        return null;
      }
      Literal value;
      try {
        value = Literal.parse(column.value);
      } catch (IllegalArgumentException e) {
        problems.add(new RuleProblem(at(column.locator), e.getMessage()));
        return null;
      }
      if (path == null || operator == null) {
        return null;
      }
      Comparison comparison = new Comparison(path, operator, value);
      locations.put(comparison, at(column.locator));
      return comparison;
    }

    private SourceLocation at(Locator locator) {
      return locator == null ? new SourceLocation(file, 0, 0)
          : new SourceLocation(file, locator.getLineNumber(), locator.getColumnNumber());
    }
  }
}
