package org.fink.distribution.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The producer settings used both by Kafka's own benchmark and by the distribution, so they are compared fairly. */
final class ProducerSettings {
  private ProducerSettings() {}

  /** Tuned settings: batches of several alerts, a short linger, no compression (cutouts are already gzipped). */
  static Map<String, String> tuned() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("acks", "all");
    settings.put("linger.ms", "20");
    settings.put("batch.size", String.valueOf(512 * 1024));
    settings.put("buffer.memory", String.valueOf(128L * 1024 * 1024));
    settings.put("compression.type", "none");
    settings.put("max.request.size", String.valueOf(4 * 1024 * 1024));
    // as the distribution's default: the OS sizes the socket's send buffer (Kafka's default is a fixed 128 KiB)
    settings.put("send.buffer.bytes", "-1");
    return settings;
  }
}
