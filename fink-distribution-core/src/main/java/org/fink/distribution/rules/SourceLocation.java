package org.fink.distribution.rules;

/** Where a rule element was read: file, 1-based line and column. */
public record SourceLocation(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
