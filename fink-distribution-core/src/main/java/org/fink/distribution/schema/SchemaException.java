package org.fink.distribution.schema;

import org.fink.distribution.FinkException;
import org.fink.distribution.KafkaProblem;

/** A schema that cannot be derived or merged; the message names the field and the fix. */
public class SchemaException extends FinkException {
  public SchemaException(String message) {
    super(message);
  }

  /** A failure of Kafka while reading or publishing schemas (the schema topic). */
  public SchemaException(KafkaProblem problem, Throwable cause) {
    super(problem, cause);
  }
}
