package org.fink.distribution.rules;

/** One thing wrong with a rules file: where, what, and how to fix it. */
public record RuleProblem(SourceLocation location, String message) {
  @Override
  public String toString() {
    return (location == null ? "" : location + ": ") + message;
  }
}
