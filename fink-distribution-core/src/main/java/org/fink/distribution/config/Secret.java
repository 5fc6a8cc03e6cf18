package org.fink.distribution.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password that does not show itself: {@link #toString()} (and so log lines, error messages, debuggers) prints
 * {@code ******}. Only {@link #reveal()} gives the value, at the point where it is handed to a library.
 *
 * <pre>{@code
 * Secret password = Secret.readFile(Path.of("/etc/fink/kafka.password"), "DISTRIBUTION_PASSWORD_FILE");
 * LOG.info("connecting with {}", password);               // connecting with ******
 * props.put("sasl.jaas.config", "... password=\"" + password.reveal() + "\";");
 * }</pre>
 */
public final class Secret {
  private static final Logger LOG = LoggerFactory.getLogger(Secret.class);
  private static final String HIDDEN = "******";

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * A secret holding {@code value}.
   *
   * @throws IllegalArgumentException if it is null or empty (the message does not show it)
   */
  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a password must not be empty");
    }
    return new Secret(value);
  }

  /**
   * The first line of a file (without its line end). Warns, naming the file, when others than its owner may read
   * it.
   *
   * @param source what names the file, for error messages (e.g. {@code DISTRIBUTION_PASSWORD_FILE})
   * @throws ConfigException naming the file (never its content) when it cannot be read or its first line is empty
   */
  public static Secret readFile(Path file, String source) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(source + "=" + file + ": cannot read the password file ("
          + e.getClass().getSimpleName() + ")", e);
    }
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      throw new ConfigException(source + "=" + file + ": the password file is empty (the password is its first line)");
    }
    warnIfOthersMayRead(file, source);
    return new Secret(line);
  }

  private static void warnIfOthersMayRead(Path file, String source) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        LOG.warn("{}={} may be read by other users than its owner: chmod 600 it", source, file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot check the permissions of {}: {}", file, e.toString());
    }
  }

  /** The value itself: hand it to the library that needs it, never to a log or a message. */
  public String reveal() {
    return value;
  }

  /** {@code ******}, whatever the value. */
  @Override
  public String toString() {
    return HIDDEN;
  }
}
