package org.fink.distribution.schema;

/** A schema that cannot be derived or merged; the message names the field and the fix. */
public class SchemaException extends RuntimeException {
  public SchemaException(String message) {
    super(message);
  }
}
