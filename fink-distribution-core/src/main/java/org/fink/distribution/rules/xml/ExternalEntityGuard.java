package org.fink.distribution.rules.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.SourceLocation;

/**
 * Refuses a rules file whose DOCTYPE refers to anything outside the file: an external DTD
 * ({@code <!DOCTYPE r SYSTEM "...">}) or an external entity ({@code <!ENTITY x SYSTEM "file:///etc/passwd">}, also
 * parameter entities). An internal DTD with internal entities, as the original Fink rules files have, is fine.
 *
 * <p>The parser never reads external entities anyway (it is configured not to); this check makes such a file an
 * error with its line and column, rather than a file silently read without them.
 *
 * <pre>{@code
 * List<RuleProblem> problems = ExternalEntityGuard.problems(text, "rules.xml");
 * }</pre>
 */
final class ExternalEntityGuard {
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
  private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE\\s+[^\\s\\[>]+\\s+(SYSTEM|PUBLIC)\\b");
  private static final Pattern ENTITY =
      Pattern.compile("<!ENTITY\\s+(%\\s+)?([^\\s>]+)\\s+(SYSTEM|PUBLIC)\\s*(\"[^\"]*\"|'[^']*')?");

  private ExternalEntityGuard() {}

  static List<RuleProblem> problems(String text, String file) {
    String masked = mask(text);
    int root = rootElement(masked);
    String prolog = masked.substring(0, root);
    List<RuleProblem> problems = new ArrayList<>();
    int open = masked.indexOf("<!DOCTYPE");
    if (open >= 0 && doctypeEnd(masked) < 0) {
      // the parser would stop at the end of the file too, but print a stack trace on the terminal first
      problems.add(new RuleProblem(at(text, file, open), "the DOCTYPE is not closed (the file ends inside it);"
          + " close it with ]> (or >), or remove it"));
      return problems;
    }
    Matcher doctype = DOCTYPE.matcher(prolog);
    if (doctype.find()) {
      problems.add(new RuleProblem(at(text, file, doctype.start()), "the DOCTYPE refers to an external DTD ("
          + doctype.group(1) + "); rules files may not load other files: remove the " + doctype.group(1)
          + " part, or the whole DOCTYPE"));
    }
    Matcher entity = ENTITY.matcher(prolog);
    while (entity.find()) {
      problems.add(new RuleProblem(at(text, file, entity.start()), "the DOCTYPE declares the external entity "
          + entity.group(2) + (entity.group(4) == null ? "" : " (" + entity.group(3) + " " + entity.group(4) + ")")
          + "; rules files may not load other files: remove the declaration"));
    }
    return problems;
  }

  /** The text with comments blanked out (same length, same line breaks). */
  private static String mask(String text) {
    StringBuilder out = new StringBuilder(text);
    Matcher comment = COMMENT.matcher(text);
    while (comment.find()) {
      for (int i = comment.start(); i < comment.end(); i++) {
        if (out.charAt(i) != '\n' && out.charAt(i) != '\r') {
          out.setCharAt(i, ' ');
        }
      }
    }
    return out.toString();
  }

  /** Where the root element starts: the first {@code <} followed by a name, after any DOCTYPE. */
  private static int rootElement(String masked) {
    Matcher start = Pattern.compile("<[A-Za-z_]").matcher(masked);
    int doctypeEnd = doctypeEnd(masked);
    return doctypeEnd >= 0 && start.find(doctypeEnd) ? start.start() : masked.length();
  }

  /** Where the DOCTYPE ends (after its {@code >}): 0 without DOCTYPE, -1 when the file ends inside it. */
  private static int doctypeEnd(String masked) {
    int doctype = masked.indexOf("<!DOCTYPE");
    if (doctype < 0) {
      return 0;
    }
    int bracket = masked.indexOf('[', doctype);
    int close = masked.indexOf('>', doctype);
    if (bracket >= 0 && (close < 0 || bracket < close)) {
      int end = masked.indexOf("]", bracket);
      while (end >= 0) {
        int after = end + 1;
        while (after < masked.length() && Character.isWhitespace(masked.charAt(after))) {
          after++;
        }
        if (after < masked.length() && masked.charAt(after) == '>') {
          return after + 1;
        }
        end = masked.indexOf("]", end + 1);
      }
      return -1;
    }
    return close < 0 ? -1 : close + 1;
  }

  private static SourceLocation at(String text, String file, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new SourceLocation(file, line, offset - lineStart + 1);
  }
}
