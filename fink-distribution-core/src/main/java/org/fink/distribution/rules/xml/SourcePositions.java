package org.fink.distribution.rules.xml;

import java.util.List;
import org.fink.distribution.rules.SourceLocation;
import org.xml.sax.Locator;

/**
 * Where an element of a rules file starts. The XML parser reports an element's position at the end of its start tag;
 * users expect the {@code <} that opens it, so the position is moved back to it in the file's text.
 *
 * <pre>{@code
 * SourcePositions positions = new SourcePositions("rules.xml", text);
 * positions.of(locator);   // rules.xml:12:5, the '<' of the element
 * }</pre>
 */
final class SourcePositions {
  private final String file;
  private final List<String> lines;

  SourcePositions(String file, String text) {
    this.file = file;
    this.lines = text.lines().toList();
  }

  SourceLocation of(Locator locator) {
    if (locator == null || locator.getLineNumber() <= 0) {
      return new SourceLocation(file, 0, 0);
    }
    return tagStart(locator.getLineNumber(), locator.getColumnNumber());
  }

  /** The nearest {@code <} at or before (line, column), both 1-based; the position itself when there is none. */
  SourceLocation tagStart(int line, int column) {
    int l = Math.min(line, lines.size());
    int c = l == line ? column - 1 : Integer.MAX_VALUE;
    for (; l >= 1; l--, c = Integer.MAX_VALUE) {
      String text = lines.get(l - 1);
      int found = text.lastIndexOf('<', Math.min(c, text.length()) - 1);
      if (found >= 0) {
        return new SourceLocation(file, l, found + 1);
      }
    }
    return new SourceLocation(file, line, column);
  }
}
