package org.fink.distribution.spark;

import java.nio.file.Path;

/**
 * An alert file that ingest refused: where it was, why, and where it was set aside (null when the ingest stopped).
 *
 * <pre>{@code
 * report.setAside().forEach(f -> System.out.println(f.file() + ": " + f.reason() + " -> " + f.movedTo()));
 * }</pre>
 */
public record BadAlertFile(Path file, String reason, Path movedTo) {
  /** "file reason", as in messages: {@code alerts/x.avro is damaged (truncated or corrupt) ...}. */
  @Override
  public String toString() {
    return file + " " + reason;
  }
}
