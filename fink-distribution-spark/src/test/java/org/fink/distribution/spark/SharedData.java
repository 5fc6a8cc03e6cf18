package org.fink.distribution.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real survey alerts of {@code ../shared/data}; tests that need them skip, saying why, when it is absent. */
final class SharedData {
  private SharedData() {}

  static Path root() {
    Path root = Path.of(System.getProperty("fink.shared.data", "../../shared/data")).toAbsolutePath().normalize();
    assumeTrue(Files.isDirectory(root), "real alert data not found at " + root + " (../shared/data): test skipped");
    return root;
  }

  static Path ztfAlerts() {
    return root().resolve("ztf/alerts");
  }
}
