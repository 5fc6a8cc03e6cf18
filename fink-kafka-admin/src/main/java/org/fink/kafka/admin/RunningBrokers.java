package org.fink.kafka.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The state file of a running local cluster ({@code dataDir/local-cluster.state}): which processes serve which ports.
 * It exists from the moment the brokers are forked until they are stopped.
 *
 * @param bootstrapServers the cluster's bootstrap servers
 * @param brokers one entry per broker process
 */
record RunningBrokers(String bootstrapServers, List<Broker> brokers) {
  static final String FILE_NAME = "local-cluster.state";

  /** One forked broker. */
  record Broker(int nodeId, long pid, int port, int controllerPort) {
    /** The process, if it still runs and is a broker of ours (not another program that got the pid). */
    Optional<ProcessHandle> process() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(Broker::looksLikeBroker);
    }

    boolean isAlive() {
      return process().isPresent();
    }

    private static boolean looksLikeBroker(ProcessHandle handle) {
      return handle.info().commandLine()
          .map(line -> line.contains(BrokerProcessLauncher.PROCESS_MARKER))
          .orElse(true);
    }
  }

  RunningBrokers {
    brokers = List.copyOf(brokers);
  }

  static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  static Optional<RunningBrokers> read(Path dataDir) {
    Path file = file(dataDir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the local cluster state " + file, e);
    }
    try {
      int count = Integer.parseInt(props.getProperty("brokers"));
      List<Broker> brokers = new ArrayList<>();
      for (int id = 1; id <= count; id++) {
        brokers.add(new Broker(id, Long.parseLong(props.getProperty("broker." + id + ".pid")),
            Integer.parseInt(props.getProperty("broker." + id + ".port")),
            Integer.parseInt(props.getProperty("broker." + id + ".controller.port"))));
      }
      return Optional.of(new RunningBrokers(props.getProperty("bootstrap.servers"), brokers));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the local cluster state " + file + " is damaged (" + e.getMessage()
          + "): stop the broker processes it named, then delete it", e);
    }
  }

  void write(Path dataDir) {
    Properties props = new Properties();
    props.setProperty("bootstrap.servers", bootstrapServers);
    props.setProperty("brokers", Integer.toString(brokers.size()));
    for (Broker broker : brokers) {
      props.setProperty("broker." + broker.nodeId() + ".pid", Long.toString(broker.pid()));
      props.setProperty("broker." + broker.nodeId() + ".port", Integer.toString(broker.port()));
      props.setProperty("broker." + broker.nodeId() + ".controller.port", Integer.toString(broker.controllerPort()));
    }
    Path file = file(dataDir);
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.createDirectories(dataDir);
      try (OutputStream out = Files.newOutputStream(temp)) {
        props.store(out, "local Kafka cluster processes; removed when the cluster stops");
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the local cluster state " + file, e);
    }
  }

  static void delete(Path dataDir) {
    try {
      Files.deleteIfExists(file(dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the local cluster state " + file(dataDir), e);
    }
  }
}
