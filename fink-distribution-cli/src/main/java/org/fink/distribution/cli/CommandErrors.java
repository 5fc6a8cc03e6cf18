package org.fink.distribution.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.fink.distribution.FinkException;
import org.fink.distribution.kafka.TlsFailure;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What a command prints when it fails: the error's own message (written for users), then the command or
 * configuration key that fixes it ({@link CommandHints}), without class names or stack trace, unless
 * {@code --verbose} was given.
 *
 * <pre>{@code
 * err.println("fink_kafka: " + CommandErrors.message(error));
 * if (CommandErrors.verbose(parseResult)) error.printStackTrace(err);
 * }</pre>
 */
final class CommandErrors {
  private CommandErrors() {
  }

  /**
   * Installs the launchers' error handling on a command line: exit code 1 with "program: message" for a failure
   * (stack trace with {@code --verbose}), exit code 2 and a pointer to {@code -h} for a usage error.
   */
  static CommandLine install(CommandLine commandLine, String program) {
    commandLine.setExecutionExceptionHandler((error, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      err.println(program + ": " + message(error) + CommandHints.of(program, error));
      if (verbose(parseResult)) {
        error.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    commandLine.setParameterExceptionHandler((error, args) -> {
      PrintWriter err = error.getCommandLine().getErr();
      err.println(program + ": " + error.getMessage());
      err.println("Try '" + error.getCommandLine().getCommandSpec().qualifiedName() + " -h' for help.");
      err.flush();
      return 2;
    });
    return commandLine;
  }

  /**
   * One paragraph: the message, its cause's when that adds something, a hint for programming errors; for a TLS
   * certificate refused deep in a client (a Spark job's), which one and the fix ({@link TlsFailure}).
   */
  static String message(Throwable error) {
    if (!(error instanceof FinkException) && (error.getMessage() == null || !error.getMessage().contains("TLS"))) {
      Optional<String> tls = TlsFailure.certificateProblem(error, "the Kafka brokers");
      if (tls.isPresent()) {
        return tls.get();
      }
    }
    String message = error.getMessage() == null || error.getMessage().isBlank()
        ? error.getClass().getSimpleName() : error.getMessage().strip();
    Throwable cause = error.getCause();
    if ((error instanceof UncheckedIOException || !(error instanceof RuntimeException)) && cause != null
        && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += ": " + cause.getMessage();
    }
    if (isProgrammingError(error)) {
      message = "unexpected error (" + error.getClass().getSimpleName() + ": " + message
          + "); run with --verbose for the stack trace";
    }
    return message;
  }

  private static boolean isProgrammingError(Throwable error) {
    return error instanceof Error || error instanceof NullPointerException || error instanceof ClassCastException
        || error instanceof IndexOutOfBoundsException || error instanceof UnsupportedOperationException;
  }

  /** Whether {@code --verbose} was given to the command or one of its subcommands. */
  static boolean verbose(ParseResult parseResult) {
    for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
