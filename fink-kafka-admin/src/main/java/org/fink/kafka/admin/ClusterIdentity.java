package org.fink.kafka.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * What a local cluster's data folder was created as ({@code dataDir/cluster.properties}): the cluster id all its
 * brokers are formatted with, and the broker count (the controller quorum cannot change size afterwards).
 *
 * @param clusterId KRaft cluster id
 * @param brokers broker count
 */
record ClusterIdentity(String clusterId, int brokers) {
  static final String FILE_NAME = "cluster.properties";

  /** The identity recorded in {@code spec.dataDir()}, or a new one (recorded) for an empty folder. */
  static ClusterIdentity loadOrCreate(LocalClusterSpec spec) {
    Path file = spec.dataDir().resolve(FILE_NAME);
    if (Files.isRegularFile(file)) {
      ClusterIdentity identity = read(file);
      if (identity.brokers() != spec.brokers()) {
        throw new IllegalStateException("the local Kafka cluster in " + spec.dataDir() + " was created with "
            + identity.brokers() + " broker(s), not " + spec.brokers() + ": set KAFKA_LOCAL_BROKERS="
            + identity.brokers() + ", or delete " + spec.dataDir() + " to start an empty cluster");
      }
      return identity;
    }
    KraftStorage first = new KraftStorage(spec.brokerDir(1));
    String id = first.isFormatted() ? first.readClusterId() : Uuid.randomUuid().toString();
    ClusterIdentity identity = new ClusterIdentity(id, spec.brokers());
    identity.write(file);
    return identity;
  }

  private static ClusterIdentity read(Path file) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
      return new ClusterIdentity(props.getProperty("cluster.id"), Integer.parseInt(props.getProperty("brokers")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "): delete the folder "
          + file.getParent() + " to start an empty cluster", e);
    }
  }

  private void write(Path file) {
    Properties props = new Properties();
    props.setProperty("cluster.id", clusterId);
    props.setProperty("brokers", Integer.toString(brokers));
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "local Kafka cluster identity; delete the whole folder to start an empty cluster");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
