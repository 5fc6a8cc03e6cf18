package org.fink.distribution.bench;

import java.nio.file.Path;
import org.fink.kafka.admin.EmbeddedKafkaBroker;

/**
 * The benchmarks' Kafka broker, in a JVM of its own (like a real broker: G1, 1 GiB heap): runs until its standard
 * input closes. Prints {@code BROKER <bootstrap servers>} once it answers.
 */
public final class BenchBroker {
  private BenchBroker() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path data = Path.of(args[1]);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(port).dataDir(data)
        .property("num.network.threads", "3").property("num.io.threads", "4")
        .property("message.max.bytes", String.valueOf(8 * 1024 * 1024))
        // a deleted topic's files go at once, between measurements, not 60 s later during another one
        .property("log.segment.delete.delay.ms", "0")
        .build().start()) {
      System.out.println("BROKER " + broker.bootstrapServers());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }
}
