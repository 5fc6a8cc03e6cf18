package org.fink.distribution.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Where {@code fink_kafka --authentication -a} takes a user's password when {@code -p} is not given, never echoing
 * it: the environment variable {@value #VARIABLE} if set; else, on a terminal, typed twice without echo; else the
 * first line of the standard input ({@code echo "$PW" | fink_kafka ...}, {@code < file}).
 *
 * <pre>{@code
 * char[] password = PasswordInput.system(err).read("alerce");
 * }</pre>
 */
final class PasswordInput {
  /** Environment variable holding the password of the user being added. */
  static final String VARIABLE = "FINK_KAFKA_USER_PASSWORD";

  private final Map<String, String> environment;
  private final Console console;
  private final InputStream stdin;

  PasswordInput(Map<String, String> environment, Console console, InputStream stdin) {
    this.environment = environment;
    this.console = console;
    this.stdin = stdin;
  }

  /** This process's environment, terminal and standard input. */
  static PasswordInput system() {
    return new PasswordInput(System.getenv(), System.console(), System.in);
  }

  /**
   * The password of {@code user}.
   *
   * @throws IllegalArgumentException when none is given, or the two typed ones differ (the message never holds it)
   */
  char[] read(String user) {
    String fromEnvironment = environment.get(VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment.toCharArray();
    }
    if (console != null) {
      char[] first = console.readPassword("Password of Kafka user %s: ", user);
      char[] second = first == null || first.length == 0 ? null : console.readPassword("Again: ");
      if (first == null || first.length == 0) {
        throw new IllegalArgumentException("no password typed for user " + user);
      }
      if (!Arrays.equals(first, second)) {
        throw new IllegalArgumentException("the two passwords typed for user " + user + " differ; nothing changed");
      }
      return first;
    }
    try {
      String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("no password for user " + user + ": give -p PASSWORD, set " + VARIABLE
            + ", type it on a terminal, or pipe it on the standard input");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the password of user " + user + " from the standard input", e);
    }
  }
}
