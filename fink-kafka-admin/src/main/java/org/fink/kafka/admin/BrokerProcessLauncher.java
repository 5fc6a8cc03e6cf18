package org.fink.kafka.admin;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forks the JVM of one local broker ({@link LocalBrokerMain}), detached from the caller: its own session (via
 * {@code setsid} when available), stdin from {@code /dev/null}, stdout and stderr appended to the broker's log, so it
 * keeps running after the calling JVM exits.
 */
final class BrokerProcessLauncher implements BrokerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerProcessLauncher.class);
  /** Log4j 2 configuration of the broker JVMs, a resource of this module. */
  static final String LOG_CONFIGURATION = "classpath:fink-kafka-broker-log4j2.properties";
  /**
   * First JVM argument of every broker JVM: recognizes our brokers among processes (Linux shows only the first 4 KiB
   * of a command line, so the main class after a long classpath may not show).
   */
  static final String PROCESS_MARKER = "-Dfink.kafka.local-broker=";
  /** First line written to a broker's log at each start; {@link #tail} shows what follows the last one. */
  static final String START_LINE = "---- starting broker ";
  private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private final String javaBinary;
  private final String classpath;
  private final List<String> jvmOptions;

  BrokerProcessLauncher(String javaBinary, String classpath, List<String> jvmOptions) {
    this.javaBinary = javaBinary;
    this.classpath = classpath;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** The java binary and classpath of the running JVM, a 512 MiB heap. */
  static BrokerProcessLauncher forCurrentJvm() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new BrokerProcessLauncher(java, System.getProperty("java.class.path"),
        List.of("-Xmx512m", "-XX:+UseSerialGC"));
  }

  /**
   * Starts broker {@code nodeId} of the cluster; returns without waiting for it to answer. In security mode the
   * broker reads the super user from its file, in TLS mode its key store and password from the TLS folder: no
   * password is on the command line.
   */
  @Override
  public Process launch(LocalClusterSpec spec, int nodeId, String clusterId) {
    Path log = spec.logFile(nodeId);
    List<String> command = new ArrayList<>();
    setsid().ifPresent(command::add);
    command.add(javaBinary);
    command.add(PROCESS_MARKER + nodeId);
    command.addAll(jvmOptions);
    command.add("-Dlog4j2.configurationFile=" + LOG_CONFIGURATION);
    command.add("-Dlog4j2.shutdownHookEnabled=false");
    command.add("-cp");
    command.add(classpath);
    command.add(LocalBrokerMain.class.getName());
    command.add("--node-id=" + nodeId);
    command.add("--port=" + spec.clientPort(nodeId));
    command.add("--controller-port=" + spec.controllerPort(nodeId));
    command.add("--data=" + spec.brokerDir(nodeId));
    command.add("--cluster-id=" + clusterId);
    command.add("--voters=" + spec.quorumVoters());
    command.add("--replication=" + spec.replicationFactor());
    command.add("--min-insync-replicas=" + spec.minInsyncReplicas());
    if (spec.secure()) {
      command.add("--super-user-file=" + LocalSuperUser.file(spec.dataDir()));
    }
    if (spec.tls()) {
      command.add("--tls-dir=" + LocalCertificateAuthority.dir(spec.dataDir()));
    }
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(spec.brokerDir(nodeId));
      Files.writeString(log, START_LINE + nodeId + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(spec.dataDir().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectErrorStream(true);
      Process process = builder.start();
      LOG.debug("forked Kafka broker {} as pid {} (log {})", nodeId, process.pid(), log);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a JVM for Kafka broker " + nodeId + " (" + javaBinary + "): "
          + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "the bundled Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion();
  }

  /** {@code setsid}, which puts a forked broker in a session of its own, if this system has it. */
  static java.util.Optional<String> setsid() {
    return SETSID.stream().filter(Files::isExecutable).findFirst().map(Path::toString);
  }

  /** The last {@code lines} lines a broker wrote to its log since it was last started, for error messages. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      int start = 0;
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).startsWith(START_LINE)) {
          start = i + 1;
          break;
        }
      }
      return String.join("\n", all.subList(Math.max(start, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
