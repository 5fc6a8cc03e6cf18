package org.fink.distribution.spark;

/**
 * The science database has no alerts yet (or is not where it was said to be): ingest alerts into it first, or point
 * the distribution at another one.
 */
public class ScienceDbMissingException extends DistributionException {
  private final String path;

  public ScienceDbMissingException(String path) {
    super("the science database at " + path + " is empty or missing; ingest alerts into it first, or use another"
        + " science database");
    this.path = path;
  }

  /** Where the science database was looked for. */
  public String path() {
    return path;
  }
}
