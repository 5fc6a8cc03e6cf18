package org.fink.distribution.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code bin/fink --version} and {@code bin/fink_kafka --version} print: this build's version and git commit
 * (written into {@code fink-version.properties} at build time), then the versions of Spark, Kafka, Avro and Scala
 * found on the class path (those of the cluster under {@code spark-submit}) and of the JVM.
 *
 * <pre>
 * fink-distribution 0.1.0 (git 4498476)
 * Spark 4.2.0, Kafka clients 4.3.1, Avro 1.12.1, Scala 2.13.18, Java 17.0.15
 * </pre>
 */
final class VersionInfo implements IVersionProvider {
  static final String RESOURCE = "/org/fink/distribution/cli/fink-version.properties";

  @Override
  public String[] getVersion() {
    Properties build = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String commit = build.getProperty("commit", "");
    return new String[] {
        "fink-distribution " + build.getProperty("version", "unknown")
            + (commit.isBlank() || commit.startsWith("${") ? "" : " (git " + commit + ")"),
        "Spark " + sparkVersion() + ", Kafka clients " + AppInfoParser.getVersion() + ", Avro "
            + implementationVersion(org.apache.avro.Schema.class) + ", Scala "
            + scala.util.Properties.versionNumberString() + ", Java " + System.getProperty("java.version")};
  }

  private static String sparkVersion() {
    try {
      return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    } catch (LinkageError e) {
      return "not on the class path";
    }
  }

  private static String implementationVersion(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }
}
