package org.fink.distribution.codec;

import org.fink.distribution.FinkException;

/** A message that cannot be encoded or decoded; the message says why and what to check. */
public class AlertCodecException extends FinkException {
  public AlertCodecException(String message) {
    super(message);
  }

  public AlertCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
