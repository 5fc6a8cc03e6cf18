package org.fink.distribution.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of this classpath in a fresh JVM, so each measurement has a process (and a heap) of its own. */
final class ChildJvm {
  /**
   * Spark's flags on Java 17: conf/jvm.options, the one list, as a java argument file; bench/run and bench/faults name
   * it in {@code fink.jvm.options}.
   */
  private static final Path JVM_OPTIONS = Path.of(System.getProperty("fink.jvm.options", "conf/jvm.options"))
      .toAbsolutePath();

  /**
   * The JVM options of the service, as {@code bin/fink} sets them by default (FINK_JAVA_OPTS): on 2 cores or fewer,
   * the client compiler only.
   */
  static final List<String> SERVICE = serviceOptions(Runtime.getRuntime().availableProcessors());

  private ChildJvm() {}

  private static List<String> serviceOptions(int cores) {
    List<String> options = new ArrayList<>(List.of("-Xmx640m", "-XX:+UseParallelGC", "-XX:ReservedCodeCacheSize=96m",
        "-Djdk.nio.maxCachedBufferSize=262144"));
    if (cores <= 2) {
      options.add("-XX:TieredStopAtLevel=1");
    }
    return List.copyOf(options);
  }

  /** Starts {@code mainClass} with JVM options and arguments; its output goes to {@code log}. */
  static Process start(List<String> jvmOptions, Class<?> mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!java.nio.file.Files.isRegularFile(JVM_OPTIONS)) {
      throw new IllegalStateException(JVM_OPTIONS + " not found: run the benchmarks with bench/run or bench/faults"
          + " (they set -Dfink.jvm.options to the repository's conf/jvm.options)");
    }
    command.add("@" + JVM_OPTIONS);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.redirectOutput(log.toFile()).start();
  }

  /** Runs {@code mainClass} to its end; returns its output, or fails with it. */
  static String run(List<String> jvmOptions, Class<?> mainClass, List<String> args, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Process process = start(jvmOptions, mainClass, args, log);
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(mainClass.getSimpleName() + " did not finish in " + timeout + "; see " + log);
    }
    String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(mainClass.getSimpleName() + " failed (exit " + process.exitValue() + "); see "
          + log + "\n" + tail(output));
    }
    return output;
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
  }

  /** The last line of the output that starts with {@code prefix}, without the prefix. */
  static String resultLine(String output, String prefix) {
    String found = null;
    for (String line : output.split("\n")) {
      if (line.startsWith(prefix)) {
        found = line.substring(prefix.length()).strip();
      }
    }
    if (found == null) {
      throw new IllegalStateException("no line starting with " + prefix + " in:\n" + tail(output));
    }
    return found;
  }
}
