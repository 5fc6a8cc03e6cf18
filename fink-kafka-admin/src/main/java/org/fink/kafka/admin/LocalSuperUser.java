package org.fink.kafka.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The super user of a local cluster in security mode: the account {@code fink_kafka} and the brokers themselves
 * (between brokers, and on the controller listener) log in with. Generated at the cluster's first start and kept in
 * {@code dataDir/super-user.properties}, readable by its owner only; {@link #toString()} does not show the password.
 *
 * <pre>{@code
 * LocalSuperUser admin = LocalSuperUser.loadOrCreate(Path.of("run/kafka"));
 * Properties client = admin.clientProperties(); // SASL_PLAINTEXT, SCRAM-SHA-512 as fink-admin
 * }</pre>
 *
 * @param name user name ({@value #DEFAULT_NAME})
 * @param password random, 32 characters of {@code [A-Za-z0-9_-]}
 */
record LocalSuperUser(String name, String password) {
  static final String FILE_NAME = "super-user.properties";
  static final String DEFAULT_NAME = "fink-admin";
  private static final Logger LOG = LoggerFactory.getLogger(LocalSuperUser.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /** The super user recorded in {@code dataDir}, or a new one with a random password, recorded owner-only. */
  static LocalSuperUser loadOrCreate(Path dataDir) {
    Optional<LocalSuperUser> existing = load(dataDir);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    LocalSuperUser user = new LocalSuperUser(DEFAULT_NAME, Base64.getUrlEncoder().withoutPadding()
        .encodeToString(random));
    user.write(file(dataDir));
    return user;
  }

  /** The super user recorded in {@code dataDir}; empty if none was created. */
  static Optional<LocalSuperUser> load(Path dataDir) {
    Path file = file(dataDir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the local cluster's super user file " + file, e);
    }
    String name = props.getProperty("username");
    String password = props.getProperty("password");
    if (name == null || name.isBlank() || password == null || password.isBlank()) {
      throw new IllegalStateException(file + " is damaged (no username or password): delete the folder "
          + dataDir + " to start an empty cluster");
    }
    return Optional.of(new LocalSuperUser(name, password));
  }

  /** Client properties to log in as this user (SASL_PLAINTEXT, SCRAM-SHA-512). */
  Properties clientProperties() {
    return SaslLogin.scramClientProperties(name, password);
  }

  /** Client properties to log in as this user, over TLS trusting {@code tls}'s CA when it is not null. */
  Properties clientProperties(BrokerTls tls) {
    return SaslLogin.scramClientProperties(name, password, tls);
  }

  /** The {@code kafka-storage format --add-scram} argument that bootstraps this user's SCRAM credential. */
  String scramBootstrapArgument() {
    return SaslLogin.SCRAM_MECHANISM + "=[name=" + name + ",password=" + password + "]";
  }

  private void write(Path file) {
    Properties props = new Properties();
    props.setProperty("username", name);
    props.setProperty("password", password);
    try {
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
        LOG.warn("cannot make {} readable by its owner only on this file system: protect it by hand", file);
      }
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
        props.store(out, "super user of the local Kafka cluster (the admin commands and the brokers log in with it);"
            + " keep it private");
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("another program created " + file + " at the same time: start again", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the local cluster's super user file " + file, e);
    }
  }

  /** The name only. */
  @Override
  public String toString() {
    return "LocalSuperUser[" + name + "]";
  }
}
