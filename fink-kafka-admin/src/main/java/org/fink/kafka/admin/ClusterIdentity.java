package org.fink.kafka.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What a local cluster's data folder was created as ({@code dataDir/cluster.properties}): the cluster id all its
 * brokers are formatted with, the broker count (the controller quorum cannot change size afterwards), and whether it
 * is in security mode (its storage then holds the super user's SCRAM credential, whose password is in
 * {@link LocalSuperUser}'s file).
 *
 * @param clusterId KRaft cluster id
 * @param brokers broker count
 * @param secure security mode (SASL_PLAINTEXT, ACLs)
 * @param tls TLS mode (SASL_SSL; with security mode)
 */
record ClusterIdentity(String clusterId, int brokers, boolean secure, boolean tls) {
  static final String FILE_NAME = "cluster.properties";
  private static final String SECURE = "SASL_PLAINTEXT";
  private static final String TLS = "SASL_SSL";
  private static final String PLAINTEXT = "PLAINTEXT";

  /**
   * The identity recorded in {@code spec.dataDir()}, or a new one (recorded, with a new super user in security mode)
   * for an empty folder, whose cluster id comes from {@code newClusterId}.
   *
   * @throws IllegalStateException if the folder was created with another broker count or security mode
   */
  static ClusterIdentity loadOrCreate(LocalClusterSpec spec, java.util.function.Supplier<String> newClusterId) {
    Optional<ClusterIdentity> recorded = read(spec.dataDir());
    if (recorded.isPresent()) {
      ClusterIdentity identity = recorded.get();
      if (identity.brokers() != spec.brokers()) {
        throw new IllegalStateException("the local Kafka cluster in " + spec.dataDir() + " was created with "
            + identity.brokers() + " broker(s), not " + spec.brokers() + ": set KAFKA_LOCAL_BROKERS="
            + identity.brokers() + ", or delete " + spec.dataDir() + " to start an empty cluster");
      }
      if (identity.secure() != spec.secure() || identity.tls() != spec.tls()) {
        throw new IllegalStateException("the local Kafka cluster in " + spec.dataDir() + " was created "
            + (identity.tls() ? "in security mode with TLS" : identity.secure() ? "in security mode without TLS"
            : "without security") + ": set DISTRIBUTION_SECURITY_PROTOCOL=" + identity.protocol() + ", or delete "
            + spec.dataDir() + " to start an empty cluster");
      }
      if (identity.secure() && LocalSuperUser.load(spec.dataDir()).isEmpty()) {
        throw new IllegalStateException("the super user file " + LocalSuperUser.file(spec.dataDir())
            + " of the local Kafka cluster is missing, so its brokers cannot log in to each other: delete "
            + spec.dataDir() + " to start an empty cluster");
      }
      return identity;
    }
    KraftStorage first = new KraftStorage(spec.brokerDir(1));
    if (spec.secure() && first.isFormatted()) {
      throw new IllegalStateException("the storage in " + spec.brokerDir(1) + " was formatted without security:"
          + " delete " + spec.dataDir() + " to start an empty cluster in security mode");
    }
    String id = first.isFormatted() ? first.readClusterId() : newClusterId.get();
    ClusterIdentity identity = new ClusterIdentity(id, spec.brokers(), spec.secure(), spec.tls());
    if (spec.secure()) {
      LocalSuperUser.loadOrCreate(spec.dataDir());
    }
    identity.write(spec.dataDir().resolve(FILE_NAME));
    return identity;
  }

  /** The identity recorded in {@code dataDir}; empty for a folder no cluster was created in. */
  static Optional<ClusterIdentity> read(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
      String security = props.getProperty("security", PLAINTEXT);
      return Optional.of(new ClusterIdentity(props.getProperty("cluster.id"),
          Integer.parseInt(props.getProperty("brokers")), SECURE.equals(security) || TLS.equals(security),
          TLS.equals(security)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "): delete the folder "
          + file.getParent() + " to start an empty cluster", e);
    }
  }

  /** What clients speak to the cluster: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL. */
  String protocol() {
    return tls ? TLS : secure ? SECURE : PLAINTEXT;
  }

  private void write(Path file) {
    Properties props = new Properties();
    props.setProperty("cluster.id", clusterId);
    props.setProperty("brokers", Integer.toString(brokers));
    props.setProperty("security", protocol());
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
