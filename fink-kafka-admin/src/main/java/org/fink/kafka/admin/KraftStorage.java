package org.fink.kafka.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log directory of one KRaft node: formatted once (like {@code kafka-storage.sh format}), reused afterwards.
 *
 * <p>A directory holding {@code meta.properties} is already formatted and is left as it is.
 */
final class KraftStorage {
  private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);
  static final String META_PROPERTIES = "meta.properties";

  private final Path directory;

  KraftStorage(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  boolean isFormatted() {
    return Files.isRegularFile(directory.resolve(META_PROPERTIES));
  }

  /**
   * Formats the directory unless it is formatted already.
   *
   * @param clusterId the cluster id to write, or null for a new random one
   * @return the cluster id the directory holds
   */
  String formatIfNeeded(int nodeId, String clusterId, String controllerListenerName) {
    return formatIfNeeded(nodeId, clusterId, controllerListenerName, List.of());
  }

  /**
   * Formats the directory unless it is formatted already, bootstrapping SCRAM credentials into the metadata (like
   * {@code kafka-storage format --add-scram}).
   *
   * @param scramArguments {@code SCRAM-SHA-512=[name=...,password=...]} entries; they may hold passwords, so no
   *     error message repeats them
   */
  String formatIfNeeded(int nodeId, String clusterId, String controllerListenerName, List<String> scramArguments) {
    if (isFormatted()) {
      String existing = readClusterId();
      LOG.debug("Reusing KRaft storage in {} (cluster {})", directory, existing);
      return existing;
    }
    String id = clusterId == null ? Uuid.randomUuid().toString() : clusterId;
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      Files.createDirectories(directory);
      new Formatter()
          .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
          .setNodeId(nodeId)
          .setClusterId(id)
          .setDirectories(List.of(directory.toString()))
          .setMetadataLogDirectory(directory.toString())
          .setControllerListenerName(controllerListenerName)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setScramArguments(scramArguments)
          .run();
    } catch (Exception e) {
      String detail = scramArguments.isEmpty()
          ? e.getMessage() + " " + output.toString(StandardCharsets.UTF_8).strip()
          : e.getClass().getSimpleName() + " (details hidden: the format arguments hold a password)";
      throw new IllegalStateException("cannot format Kafka storage in " + directory + ": " + detail,
          scramArguments.isEmpty() ? e : null);
    }
    LOG.debug("Formatted KRaft storage in {} (cluster {}, node {})", directory, id, nodeId);
    return id;
  }

  /** The cluster id written in {@code meta.properties}. */
  String readClusterId() {
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(directory.resolve(META_PROPERTIES))) {
      meta.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + directory.resolve(META_PROPERTIES) + ": " + e.getMessage(), e);
    }
    String id = meta.getProperty("cluster.id");
    if (id == null || id.isBlank()) {
      throw new IllegalStateException(directory.resolve(META_PROPERTIES) + " has no cluster.id: remove " + directory
          + " to start from empty storage");
    }
    return id;
  }
}
