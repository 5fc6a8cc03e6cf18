package org.fink.distribution.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fink.distribution.codec.MessageFormat;
import org.fink.distribution.rules.EditDistance;

/**
 * The resolved configuration of a Fink distribution install (DESIGN.md §4).
 *
 * <p>Each key comes from, in increasing priority: its default, the configuration file (and files it sources), an
 * environment variable of the same name, then an explicit override (command-line option).
 *
 * <pre>{@code
 * FinkConfig conf = FinkConfig.load(Path.of("conf/fink.conf.distribution"), Path.of("."), System.getenv(), Map.of());
 * String servers = conf.get(ConfigKey.DISTRIBUTION_SERVERS);
 * }</pre>
 */
public final class FinkConfig {
  private final Map<ConfigKey, String> values;
  private final Map<ConfigKey, String> origins;
  private final Secret distributionPassword;

  private FinkConfig(Map<ConfigKey, String> values, Map<ConfigKey, String> origins, Secret distributionPassword) {
    this.values = Collections.unmodifiableMap(values);
    this.origins = origins;
    this.distributionPassword = distributionPassword;
  }

  /**
   * Loads a configuration.
   *
   * @param file configuration file; may be null to use defaults, environment and overrides only
   * @param finkHome install folder, predefined as {@code FINK_HOME}
   * @param environment environment variables (overrides for known keys; also visible to {@code ${VAR}})
   * @param overrides highest-priority values, by key name (command-line options)
   */
  public static FinkConfig load(Path file, Path finkHome, Map<String, String> environment,
      Map<String, String> overrides) {
    String home = finkHome.toAbsolutePath().normalize().toString();
    Map<ConfigKey, String> raw = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);
    raw.put(ConfigKey.FINK_HOME, home);
    Function<String, String> pinned = name -> {
      if ("FINK_HOME".equals(name)) {
        return home;
      }
      if (overrides.containsKey(name)) {
        return overrides.get(name);
      }
      return ConfigKey.named(name).isPresent() ? environment.get(name) : null;
    };
    ShellConfigParser parser = new ShellConfigParser(pinned, environment::get);
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("configuration file " + file + " does not exist; pass --conf FILE or create it"
            + " (see conf/fink.conf.distribution)");
      }
      for (ShellConfigParser.Entry entry : parser.parse(file)) {
        if (KafkaSecurity.PASSWORD_VARIABLE.equals(entry.key())) {
          throw new ConfigException(entry.file() + ":" + entry.line() + ": " + KafkaSecurity.PASSWORD_VARIABLE
              + " cannot be set in a configuration file: write the password to a file named by "
              + ConfigKey.DISTRIBUTION_PASSWORD_FILE + " (chmod 600), or set the environment variable "
              + KafkaSecurity.PASSWORD_VARIABLE);
        }
        ConfigKey key = ConfigKey.named(entry.key()).orElseThrow(() -> unknownKey(entry));
        raw.put(key, entry.value());
        origins.put(key, entry.file() + ":" + entry.line());
      }
    }
    for (ConfigKey key : ConfigKey.values()) {
      String fromEnv = environment.get(key.name());
      if (fromEnv != null && key != ConfigKey.FINK_HOME) {
        raw.put(key, fromEnv);
        origins.put(key, "environment variable " + key);
      }
    }
    overrides.forEach((name, value) -> {
      if (KafkaSecurity.PASSWORD_VARIABLE.equals(name)) {
        throw new ConfigException("a password is never given on the command line: set "
            + ConfigKey.DISTRIBUTION_PASSWORD_FILE + " or the environment variable " + KafkaSecurity.PASSWORD_VARIABLE);
      }
      ConfigKey key = ConfigKey.named(name).orElseThrow(
          () -> new ConfigException("unknown configuration key " + name + suggestion(name)));
      raw.put(key, value);
      origins.put(key, "option for " + key);
    });
    Map<ConfigKey, String> resolved = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      resolve(key, raw, resolved, environment, 0);
    }
    String password = environment.get(KafkaSecurity.PASSWORD_VARIABLE);
    FinkConfig config = new FinkConfig(resolved, origins,
        password == null || password.isEmpty() ? null : Secret.of(password));
    config.validate();
    return config;
  }

  /** Defaults only, with {@code FINK_HOME} set: for tests and embedding. */
  public static FinkConfig defaults(Path finkHome) {
    return load(null, finkHome, Map.of(), Map.of());
  }

  /** A copy with some keys replaced. */
  public FinkConfig with(Map<ConfigKey, String> replacements) {
    Map<ConfigKey, String> copy = new EnumMap<>(values);
    copy.putAll(replacements);
    Map<ConfigKey, String> copyOrigins = new EnumMap<>(ConfigKey.class);
    copyOrigins.putAll(origins);
    replacements.keySet().forEach(key -> copyOrigins.put(key, "set by the program"));
    FinkConfig config = new FinkConfig(copy, copyOrigins, distributionPassword);
    config.validate();
    return config;
  }

  private static String resolve(ConfigKey key, Map<ConfigKey, String> raw, Map<ConfigKey, String> resolved,
      Map<String, String> environment, int depth) {
    if (resolved.containsKey(key)) {
      return resolved.get(key);
    }
    if (depth > ConfigKey.values().length) {
      throw new ConfigException("configuration defaults refer to each other in a loop at " + key);
    }
    String value = raw.get(key);
    if (value == null) {
      Optional<String> fallback = key.defaultValue();
      if (fallback.isEmpty()) {
        return null;
      }
      ShellConfigParser expander = new ShellConfigParser(name -> ConfigKey.named(name)
          .map(k -> resolve(k, raw, resolved, environment, depth + 1))
          .orElse(environment.get(name)));
      value = expander.expand(fallback.get(), "default of " + key);
    }
    resolved.put(key, value);
    return value;
  }

  private static ConfigException unknownKey(ShellConfigParser.Entry entry) {
    return new ConfigException(entry.file() + ":" + entry.line() + ": unknown configuration key " + entry.key()
        + suggestion(entry.key()));
  }

  private static String suggestion(String name) {
    String closest = Arrays.stream(ConfigKey.values()).map(Enum::name)
        .min(Comparator.comparingInt(k -> EditDistance.between(k, name))).orElseThrow();
    String known = Arrays.stream(ConfigKey.values()).map(Enum::name).collect(Collectors.joining(", "));
    return EditDistance.between(closest, name) <= 3
        ? "; did you mean " + closest + "?"
        : "; known keys: " + known;
  }

  /** Checks every key's type and range (ConfigValidator): one error listing every problem. */
  private void validate() {
    List<String> problems = ConfigValidator.problems(values, origins);
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  /** The value of a key, or null when it has no value and no default. */
  public String get(ConfigKey key) {
    return values.get(key);
  }

  /** The value as a path. */
  public Path path(ConfigKey key) {
    return Path.of(require(key));
  }

  /** The value as a whole number, or an error naming the key. */
  public int integer(ConfigKey key) {
    String value = require(key);
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + "=" + value + " is not a whole number");
    }
  }

  /** The value as a decimal number, or an error naming the key. */
  public double decimal(ConfigKey key) {
    String value = require(key);
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + "=" + value + " is not a number");
    }
  }

  public StartingOffset startingOffset() {
    return StartingOffset.parse(require(ConfigKey.DISTRIBUTION_OFFSET));
  }

  public MessageFormat messageFormat() {
    return messageFormat(require(ConfigKey.DISTRIBUTION_FORMAT));
  }

  /** {@code DISTRIBUTION_FORMAT}'s value as a framing, or the error listing the framings. */
  static MessageFormat messageFormat(String value) {
    return MessageFormat.ofLabel(value).orElseThrow(() -> new ConfigException(ConfigKey.DISTRIBUTION_FORMAT + "="
        + value + " is not valid; use one of " + MessageFormat.labels()));
  }

  /** Every value {@code DISTRIBUTION_COMPRESSION} takes: Kafka's {@code compression.type} names. */
  public static final java.util.List<String> COMPRESSIONS = java.util.List.of("none", "lz4", "zstd", "gzip", "snappy");

  /** The producer's {@code compression.type} ({@code DISTRIBUTION_COMPRESSION}), checked. */
  public String compression() {
    return compression(require(ConfigKey.DISTRIBUTION_COMPRESSION));
  }

  /** {@code DISTRIBUTION_COMPRESSION}'s value as Kafka's {@code compression.type}, or the error listing them. */
  static String compression(String setting) {
    String value = setting.strip().toLowerCase(Locale.ROOT);
    if (!COMPRESSIONS.contains(value)) {
      throw new ConfigException(ConfigKey.DISTRIBUTION_COMPRESSION + "=" + setting + " is not valid; use one of "
          + String.join(", ", COMPRESSIONS));
    }
    return value;
  }

  public DeliveryGuarantee deliveryGuarantee() {
    return DeliveryGuarantee.parse(require(ConfigKey.DISTRIBUTION_DELIVERY));
  }

  private String require(ConfigKey key) {
    String value = values.get(key);
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + " is not set; set it in the configuration file or the environment");
    }
    return value;
  }

  /**
   * The password of {@code DISTRIBUTION_USERNAME} from the environment variable {@code DISTRIBUTION_PASSWORD}, if it
   * was set when the configuration was loaded. It is not a configuration key: no file or option can set it, and
   * {@link #asMap()} does not hold it.
   */
  public Optional<Secret> distributionPassword() {
    return Optional.ofNullable(distributionPassword);
  }

  /** All values, for display (no password among them). */
  public Map<ConfigKey, String> asMap() {
    return values;
  }
}
