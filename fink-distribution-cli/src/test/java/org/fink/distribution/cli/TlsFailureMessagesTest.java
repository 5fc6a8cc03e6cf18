package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.config.KafkaSecurity;
import org.fink.distribution.kafka.PublishCheck;
import org.fink.kafka.admin.MismatchedTlsListeners;
import org.fink.kafka.admin.MismatchedTlsListeners.Listener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What a user sees for each TLS mistake, against a real broker ({@link MismatchedTlsListeners}): {@code fink_kafka}
 * against a remote cluster, {@code fink start distribution_test}, and the distribution's pre-flight check as the
 * {@code fink} launcher prints it. Each is one paragraph that names the mistake and the fix, within seconds, with no
 * stack frame unless {@code --verbose}, and no password.
 */
class TlsFailureMessagesTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static MismatchedTlsListeners brokers;
  private static Path passwordFile;

  @TempDir
  static Path dir;

  /** A TLS mistake: where the client connects, whether it speaks TLS, and what its message must say. */
  enum Mistake {
    WRONG_CA(Listener.WRONG_CA, true, "is not signed by the CA this client trusts", "DISTRIBUTION_SSL_CA_FILE"),
    EXPIRED(Listener.EXPIRED, true, "has expired", "renew it"),
    WRONG_HOST(Listener.WRONG_HOST, true, "does not name the host connected to", "DISTRIBUTION_SSL_VERIFY_HOSTNAME"),
    TLS_TO_PLAINTEXT_PORT(Listener.PLAINTEXT, true, "does not speak TLS", "DISTRIBUTION_SECURITY_PROTOCOL"),
    PLAINTEXT_TO_TLS_PORT(Listener.GOOD, false, "speaks TLS but this client talks plaintext",
        "DISTRIBUTION_SECURITY_PROTOCOL=SASL_SSL");

    final Listener listener;
    final boolean tls;
    final String which;
    final String fix;

    Mistake(Listener listener, boolean tls, String which, String fix) {
      this.listener = listener;
      this.tls = tls;
      this.which = which;
      this.fix = fix;
    }

    /** A configuration file for a client making this mistake. */
    Path conf() throws IOException {
      Path file = dir.resolve(name() + ".conf");
      Files.write(file, List.of(
          "DISTRIBUTION_SERVERS=" + brokers.servers(listener),
          "DISTRIBUTION_SECURITY_PROTOCOL=" + (tls ? "SASL_SSL" : "SASL_PLAINTEXT"),
          "DISTRIBUTION_USERNAME=" + MismatchedTlsListeners.USER,
          "DISTRIBUTION_PASSWORD_FILE=" + passwordFile,
          "DISTRIBUTION_SSL_CA_FILE=" + brokers.caPem(),
          "DISTRIBUTION_TOPIC=tls-messages",
          "DISTRIBUTION_SCHEMA=" + dir.resolve("no-such-schema.avsc"),
          "KAFKA_LOCAL_DATA=" + dir.resolve("no-local-cluster")));
      return file;
    }

    /** One paragraph, after "program: ", naming the servers, the mistake and the fix; no stack frame, no password. */
    void assertExplained(String program, Run run) {
      assertEquals(1, run.exitCode(), this + ": " + run.out() + run.err());
      assertTrue(run.took().compareTo(BOUND) < 0, this + " took " + run.took());
      String err = run.err().strip();
      assertTrue(err.startsWith(program + ": "), this + ": " + err);
      assertEquals(1, err.lines().count(), this + ", one paragraph: " + err);
      assertTrue(err.contains(brokers.servers(listener)) && err.contains(which) && err.contains(fix), this + ": " + err);
      assertFalse(err.contains("\tat ") || err.contains("Exception"), this + ": " + err);
      assertFalse((run.out() + err).contains(brokers.password()), "a password in the output");
    }
  }

  /** Exit code, output and duration of one run. */
  record Run(int exitCode, String out, String err, Duration took) {
  }

  @BeforeAll
  static void start() throws IOException {
    brokers = MismatchedTlsListeners.start();
    passwordFile = Files.writeString(dir.resolve("password"), brokers.password() + "\n");
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterAll
  static void stop() {
    if (brokers != null) {
      brokers.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Mistake.class)
  void finkKafkaAgainstARemoteClusterSaysWhichAndHowToFixIt(Mistake mistake) throws IOException {
    mistake.assertExplained("fink_kafka", finkKafka("--conf", mistake.conf().toString(), "--list-topics"));
  }

  @ParameterizedTest
  @EnumSource(Mistake.class)
  void distributionTestSaysWhichAndHowToFixItBeforeSparkStarts(Mistake mistake) throws IOException {
    mistake.assertExplained("fink", fink(FinkCommand::commandLine, "start", "distribution_test", "--conf",
        mistake.conf().toString(), "--exit-after", "120"));
  }

  @ParameterizedTest
  @EnumSource(Mistake.class)
  void theDistributionsPreflightCheckAsTheLauncherPrintsIt(Mistake mistake) throws IOException {
    mistake.assertExplained("fink", fink(TlsFailureMessagesTest::preflight, "--conf", mistake.conf().toString()));
  }

  @Test
  void verboseAddsTheStackTrace() throws IOException {
    Run run = finkKafka("--conf", Mistake.WRONG_CA.conf().toString(), "--list-topics", "--verbose");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("is not signed by the CA this client trusts"), run.err());
    assertTrue(run.err().contains("\tat "), "--verbose shows the stack trace");
    assertTrue(run.err().contains("PKIX"), "and the JVM's own reason");
  }

  /** {@code fink start distribution}'s pre-flight check, with the {@code fink} launcher's error handling. */
  @Command(name = "preflight")
  static final class Preflight implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Override
    public Integer call() {
      FinkConfig config = options.load();
      Properties login = new Properties();
      login.putAll(KafkaSecurity.of(config).clientProperties());
      PublishCheck.check(config.get(ConfigKey.DISTRIBUTION_SERVERS), login,
          List.of(config.get(ConfigKey.DISTRIBUTION_TOPIC)));
      return 0;
    }
  }

  private static CommandLine preflight() {
    return CommandErrors.install(new CommandLine(new Preflight()), "fink");
  }

  private static Run finkKafka(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    FinkKafkaCommand command = new FinkKafkaCommand();
    command.passwordInput = new PasswordInput(Map.of(), null, new ByteArrayInputStream(new byte[0]));
    CommandLine commandLine = FinkKafkaCommand.commandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    long start = System.nanoTime();
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** Runs a {@code fink} command line (made once System.out and System.err are captured). */
  private static Run fink(Supplier<CommandLine> commandLine, String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = commandLine.get().execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
