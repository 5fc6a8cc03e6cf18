package org.fink.distribution.config;

import org.fink.distribution.FinkException;

/** A configuration file or value that cannot be used; the message names the file, line and key, and the fix. */
public class ConfigException extends FinkException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
