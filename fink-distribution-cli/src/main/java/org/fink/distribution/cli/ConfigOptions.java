package org.fink.distribution.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fink.distribution.config.FinkConfig;
import picocli.CommandLine.Option;

/**
 * The {@code --conf FILE} option every command takes, and how the configuration is loaded from it.
 *
 * <p>{@code FINK_HOME} is the install folder: the {@code fink.home} system property set by {@code bin/} scripts, else
 * the {@code FINK_HOME} environment variable, else the current folder.
 */
public final class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE",
      description = "configuration file (default: $FINK_HOME/conf/fink.conf.distribution)")
  Path conf;

  /** The install folder. */
  public static Path finkHome() {
    String home = System.getProperty("fink.home");
    if (home == null || home.isBlank()) {
      home = System.getenv("FINK_HOME");
    }
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  /** Loads the configuration, with {@code overrides} (key name to value) taking precedence over file and environment. */
  public FinkConfig load(Map<String, String> overrides) {
    Path home = finkHome();
    Path file = conf;
    if (file == null) {
      Path fallback = home.resolve("conf/fink.conf.distribution");
      file = Files.isRegularFile(fallback) ? fallback : null;
    }
    return FinkConfig.load(file, home, System.getenv(), overrides);
  }

  public FinkConfig load() {
    return load(Map.of());
  }
}
