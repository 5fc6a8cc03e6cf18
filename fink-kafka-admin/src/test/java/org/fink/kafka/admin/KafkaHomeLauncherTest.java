package org.fink.kafka.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link KafkaHomeLauncher} accepts as a Kafka installation, checked before anything runs (the real scripts are
 * run by {@code FinkKafkaHomeTest} of the CLI module).
 */
class KafkaHomeLauncherTest {
  @TempDir
  Path dir;

  private Path install(String name, String kafkaJar) throws IOException {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("libs"));
    for (String script : new String[] {"kafka-storage.sh", "kafka-server-start.sh"}) {
      Files.writeString(home.resolve("bin").resolve(script), "#!/bin/sh\nexit 1\n");
      Files.setPosixFilePermissions(home.resolve("bin").resolve(script),
          PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.createFile(home.resolve("libs").resolve(kafkaJar));
    Files.createFile(home.resolve("libs").resolve("kafka-clients-9.9.9.jar"));
    return home;
  }

  @Test
  void versionComesFromTheKafkaJar() throws IOException {
    KafkaHomeLauncher launcher = new KafkaHomeLauncher(install("kafka_2.13-3.9.1", "kafka_2.13-3.9.1.jar"));
    assertEquals(Optional.of("3.9.1"), launcher.version());
    launcher.check();
    assertEquals("Apache Kafka 3.9.1 from KAFKA_HOME=" + dir.resolve("kafka_2.13-3.9.1"), launcher.describe());
    assertTrue(!launcher.supportsSecurity());
  }

  @Test
  void kafkaBeforeKraftIsRefused() throws IOException {
    Path home = install("kafka_2.12-2.8.2", "kafka_2.12-2.8.2.jar");
    KafkaAdminException e = assertThrows(KafkaAdminException.class, () -> new KafkaHomeLauncher(home).check());
    assertEquals("KAFKA_HOME=" + home + " holds Kafka 2.8.2; the local cluster runs Kafka 3.3 or later (KRaft mode): point"
        + " KAFKA_HOME at a newer installation, or leave it empty to use the bundled broker", e.getMessage());
  }

  @Test
  void missingFolderOrScriptIsNamed() throws IOException {
    Path nowhere = dir.resolve("nowhere");
    assertTrue(assertThrows(KafkaAdminException.class, () -> new KafkaHomeLauncher(nowhere).check()).getMessage()
        .startsWith("KAFKA_HOME=" + nowhere + " is not a folder"));
    Path home = install("kafka_2.13-4.1.0", "kafka_2.13-4.1.0.jar");
    Files.setPosixFilePermissions(home.resolve("bin/kafka-server-start.sh"),
        PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(assertThrows(KafkaAdminException.class, () -> new KafkaHomeLauncher(home).check()).getMessage()
        .contains("bin/kafka-server-start.sh is missing or not executable"));
  }

  @Test
  void aFailingToolIsReportedWithItsOutput() throws IOException {
    Path home = install("kafka_2.13-4.1.0", "kafka_2.13-4.1.0.jar");
    Files.writeString(home.resolve("bin/kafka-storage.sh"), "#!/bin/sh\necho \"no java here\" >&2\nexit 3\n");
    LocalClusterSpec spec = new LocalClusterSpec(19092, dir.resolve("data"), 1);
    KafkaAdminException e = assertThrows(KafkaAdminException.class,
        () -> new KafkaHomeLauncher(home).newClusterId(spec));
    assertEquals("bin/kafka-storage.sh random-uuid of KAFKA_HOME=" + home + " exited with status 3:\nno java here",
        e.getMessage());
  }
}
