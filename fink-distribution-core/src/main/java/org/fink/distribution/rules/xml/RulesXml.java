package org.fink.distribution.rules.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.RuleException;
import org.fink.distribution.rules.RuleLimits;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.SourceLocation;

/**
 * Reads and writes the XML rule format ({@code conf/distribution-rules.xml}, DESIGN.md §6; the grammar is
 * {@code conf/distribution-rules.xsd}, also in this jar: {@link #xsd()}).
 *
 * <pre>{@code
 * DistributionRules rules = RulesXml.read(Path.of("conf/distribution-rules.xml"));
 * String xml = RulesXml.write(rules);   // RulesXml.read of it equals rules
 * }</pre>
 *
 * <p>Reading reports every problem of a file at once, each with file, line and column (of the {@code <} opening the
 * element), what is wrong and how to fix it, in one {@link RuleException}.
 *
 * <p>Parsing is safe against external entities: a DOCTYPE may declare an internal DTD (as the original files do), but
 * nothing outside the file is ever read.
 */
public final class RulesXml {
  /** The class-path name of the XSD of the rule format. */
  public static final String XSD_RESOURCE = "/org/fink/distribution/rules/xml/distribution-rules.xsd";

  private static final JAXBContext CONTEXT;
  private static final Pattern UNEXPECTED =
      Pattern.compile("unexpected element \\(uri:\"[^\"]*\", local:\"([^\"]+)\"\\)\\. Expected elements are (.*)");

  static {
    try {
      CONTEXT = JAXBContext.newInstance(XmlRules.class);
    } catch (JAXBException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RulesXml() {}

  /** The XSD of the rule format, from this jar. */
  public static URL xsd() {
    return RulesXml.class.getResource(XSD_RESOURCE);
  }

  /**
   * Reads a rules file; every problem found is reported, with file, line and column, in one {@link RuleException}. A
   * file larger than {@link RuleLimits#MAX_FILE_BYTES}, or not a regular file (a device, a pipe, a folder), is
   * refused before it is read.
   */
  public static DistributionRules read(Path file) {
    Checked checked = check(file);
    if (!checked.problems().isEmpty() || checked.rules() == null) {
      throw new RuleException(checked.problems());
    }
    return checked.rules();
  }

  /**
   * What {@link #check(Path)} finds: the problems of the file (sorted by line and column), and the rules as far as
   * they could be built (the faulty parts left out; null when the file is not readable XML of the format). With
   * problems, the rules are for checking the rest only: {@code RuleValidator.problems(checked.rules(), schema)} adds
   * the unknown fields and value types of the sound conditions, so that one run reports every problem.
   *
   * <pre>{@code
   * RulesXml.Checked checked = RulesXml.check(Path.of("conf/my-rules.xml"));
   * List<RuleProblem> all = new ArrayList<>(checked.problems());
   * if (checked.rules() != null) all.addAll(RuleValidator.problems(checked.rules(), schema));
   * }</pre>
   */
  public record Checked(DistributionRules rules, List<RuleProblem> problems) {
    public Checked {
      problems = List.copyOf(problems);
    }
  }

  /** Reads a rules file and returns every problem of its XML and grammar instead of throwing; see {@link Checked}. */
  public static Checked check(Path file) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      return failed(new RuleProblem(null, "cannot read rules file " + file + ": it is "
          + (Files.isDirectory(file) ? "a folder" : "not a regular file (a device or a pipe)")
          + "; name an XML rules file, e.g. conf/distribution-rules.xml"));
    }
    try {
      long size = Files.size(file);
      if (size > RuleLimits.MAX_FILE_BYTES) {
        return new Checked(null, tooLarge(file.toString(), size + " bytes").problems());
      }
    } catch (NoSuchFileException e) {
      return failed(new RuleProblem(null, "cannot read rules file " + file + ": it does not exist"));
    } catch (IOException e) {
      return failed(new RuleProblem(null, "cannot read rules file " + file + ": " + e.getMessage()));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return check(in, file.toString(), file.getParent());
    } catch (NoSuchFileException e) {
      return failed(new RuleProblem(null, "cannot read rules file " + file + ": it does not exist"));
    } catch (IOException e) {
      return failed(new RuleProblem(null, "cannot read rules file " + file + ": " + e.getMessage()));
    }
  }

  /**
   * Reads rules from a stream; {@code name} stands for the file in error messages. At most
   * {@link RuleLimits#MAX_FILE_BYTES} are read: a longer (or endless) stream is refused.
   */
  public static DistributionRules read(InputStream in, String name) {
    Checked checked = check(in, name);
    if (!checked.problems().isEmpty() || checked.rules() == null) {
      throw new RuleException(checked.problems());
    }
    return checked.rules();
  }

  private static Checked failed(RuleProblem problem) {
    return new Checked(null, List.of(problem));
  }

  /**
   * {@link #check(Path)} of a stream; {@code name} stands for the file in messages. Watchlist catalogs named by a
   * relative path are read from the working directory.
   */
  public static Checked check(InputStream in, String name) {
    return check(in, name, null);
  }

  /**
   * {@link #check(InputStream, String)}, with watchlist catalogs named by a relative path read from {@code folder}
   * (the working directory when null).
   */
  public static Checked check(InputStream in, String name, Path folder) {
    byte[] bytes;
    try {
      bytes = in.readNBytes((int) RuleLimits.MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      return failed(new RuleProblem(null, "cannot read rules " + name + ": " + e.getMessage()));
    }
    if (bytes.length > RuleLimits.MAX_FILE_BYTES) {
      return new Checked(null, tooLarge(name, "more than " + RuleLimits.MAX_FILE_BYTES + " bytes").problems());
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    SourcePositions positions = new SourcePositions(name, text);
    List<RuleProblem> problems = new ArrayList<>();
    TextEncoding.problem(bytes, name).ifPresent(problems::add);
    if (problems.isEmpty()) {
      problems.addAll(ExternalEntityGuard.problems(text, name));
    }
    if (problems.isEmpty()) {
      NestingGuard.problem(bytes, name, positions).ifPresent(problems::add);
    }
    XmlRules xml = problems.isEmpty() ? unmarshal(bytes, name, positions, problems) : null;
    DistributionRules rules = xml == null ? null : new XmlToRules(positions, problems, folder).convert(xml);
    if (rules != null) {
      problems.addAll(RuleLimits.problems(rules));
    }
    if (rules == null && problems.isEmpty()) {
      problems.add(new RuleProblem(new SourceLocation(name, 0, 0), "not a valid rules file"));
    }
    return new Checked(rules, sorted(problems));
  }

  /** Problems by line, then column; those without a place first. */
  public static List<RuleProblem> sorted(List<RuleProblem> problems) {
    List<RuleProblem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt((RuleProblem p) -> p.location() == null ? 0 : p.location().line())
        .thenComparingInt(p -> p.location() == null ? 0 : p.location().column()));
    return sorted;
  }

  private static RuleException tooLarge(String name, String size) {
    return new RuleException(new RuleProblem(null, "the rules file " + name + " is too large (" + size
        + "); the limit is " + RuleLimits.MAX_FILE_BYTES / (1024 * 1024) + " MiB: write long lists of values as in"
        + " lists, or split the rules over several distributions"));
  }

  private static XmlRules unmarshal(byte[] bytes, String name, SourcePositions positions,
      List<RuleProblem> problems) {
    try {
      XMLStreamReader reader = safeInputFactory().createXMLStreamReader(new ByteArrayInputStream(bytes));
      Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
      boolean[] fatal = {false};
      unmarshaller.setEventHandler(event -> {
        problems.add(new RuleProblem(location(positions, event), describe(event)));
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

  private static SourceLocation location(SourcePositions positions, ValidationEvent event) {
    ValidationEventLocator locator = event.getLocator();
    if (locator == null || locator.getLineNumber() <= 0) {
      return positions.of(null);
    }
    return positions.tagStart(locator.getLineNumber(), locator.getColumnNumber());
  }

  static XMLInputFactory safeInputFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();  // the JDK's, whatever else is on the classpath
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external entity " + systemId + " refused: rules files may not load other files");
    });
    return factory;
  }

  private static String describe(ValidationEvent event) {
    String message = event.getMessage();
    if (message == null && event.getLinkedException() != null) {
      message = rootMessage(event.getLinkedException());
    }
    Matcher unexpected = message == null ? null : UNEXPECTED.matcher(message);
    if (unexpected != null && unexpected.find()) {
      return "unknown element <" + unexpected.group(1) + "> here; " + expected(unexpected.group(2))
          + " (see conf/distribution-rules.xsd)";
    }
    return message;
  }

  /** What may stand where an unknown element was found, from JAXB's list of expected elements. */
  private static String expected(String jaxbList) {
    if (jaxbList.contains("<{}cone>")) {
      return "expected a condition: <column>, <and>, <or>, <not>, <count>, <any>, <all>, <min>, <max>, <span>,"
          + " <cone> or <watchlist>";
    }
    if (jaxbList.contains("<{}stream>")) {
      return "expected <select>, <drop>, <filter> or <stream>";
    }
    if (jaxbList.contains("<{}select>")) {
      return "expected <select>, <drop> or <filter>";
    }
    if (jaxbList.contains("<{}column>")) {
      return "expected <column>";
    }
    return "this element holds no element";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() != null ? t.getMessage() : t.toString();
    if (message.contains("JAXP000")) {  // one of the JDK's XML processing limits (entity expansions, sizes)
      message = message.replaceFirst("JAXP\\d+: ", "") + " Rules files need no such entities: simplify or remove the"
          + " DOCTYPE's entity declarations";
    }
    return message.replaceFirst("^ParseError at \\[row,col\\]:\\[(\\d+),(\\d+)]\\s*Message:\\s*", "line $1, column $2: ");
  }

  /**
   * Writes rules in the XML format; {@code read(write(rules))} equals {@code rules}. One stream named
   * {@code default} without topic is written in the original single-stream format, anything else with
   * {@code <stream>} elements.
   */
  public static String write(DistributionRules rules) {
    try {
      Marshaller marshaller = CONTEXT.createMarshaller();
      marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
      marshaller.setProperty("org.glassfish.jaxb.indentString", "  ");
      StringWriter out = new StringWriter();
      marshaller.marshal(RulesToXml.of(rules), out);
      return out.toString();
    } catch (JAXBException e) {
      throw new IllegalStateException("cannot write rules as XML", e);
    }
  }
}
