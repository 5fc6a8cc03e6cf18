package org.fink.distribution.rules.xml;

import java.io.ByteArrayInputStream;
import java.util.Optional;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.fink.distribution.rules.RuleLimits;
import org.fink.distribution.rules.RuleProblem;

/**
 * Refuses a rules file whose elements nest deeper than {@link RuleLimits#MAX_DEPTH}, in one streaming pass (no
 * recursion), before the file is bound to objects: JAXB, the checker and the evaluators walk the tree recursively,
 * and a thousand nested {@code <and>} would overflow their stack.
 *
 * <pre>{@code
 * Optional<RuleProblem> tooDeep = NestingGuard.problem(bytes, "rules.xml", positions);
 * }</pre>
 *
 * <p>A file that is not well-formed XML passes: the binding pass reports that, with its line and column.
 */
final class NestingGuard {
  private NestingGuard() {}

  static Optional<RuleProblem> problem(byte[] xml, String name, SourcePositions positions) {
    try {
      XMLStreamReader reader = RulesXml.safeInputFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        int depth = 0;
        while (reader.hasNext()) {
          int event = reader.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            if (depth > RuleLimits.MAX_DEPTH) {
              return Optional.of(new RuleProblem(positions.tagStart(reader.getLocation().getLineNumber(),
                  reader.getLocation().getColumnNumber()), "<" + reader.getLocalName() + "> is nested "
                  + depth + " elements deep, beyond the limit of " + RuleLimits.MAX_DEPTH + "; flatten the"
                  + " conditions (an <and> inside an <and> is one <and>, an <or> inside an <or> one <or>)"));
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      return Optional.empty();  // not well-formed: the binding pass reports where and why
    }
    return Optional.empty();
  }
}
