package org.fink.distribution.spark;

/** The distribution could not start or failed; the message says why. */
public class DistributionException extends RuntimeException {
  public DistributionException(String message) {
    super(message);
  }

  public DistributionException(String message, Throwable cause) {
    super(message, cause);
  }
}
