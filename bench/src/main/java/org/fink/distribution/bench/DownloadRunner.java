package org.fink.distribution.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fink.distribution.kafka.AlertConsumer;
import org.fink.distribution.kafka.AlertDownload;
import org.fink.distribution.kafka.ConsumedAlert;
import org.fink.distribution.kafka.StartPosition;

/**
 * A download of a whole topic into Avro files ({@link AlertDownload}, as {@code bin/fink consume --output} does), in a
 * process that the fault-injection runs can kill: resumes after the last alert on disk, ends when no partition lags.
 *
 * <p>Arguments: servers topic folder.
 */
public final class DownloadRunner {
  private DownloadRunner() {}

  public static void main(String[] args) {
    AlertDownload download = new AlertDownload(Path.of(args[2]), AlertDownload.Format.AVRO);
    long written = 0;
    try (AlertConsumer consumer = AlertConsumer.builder().servers(args[0]).topics(args[1])
        .startAt(StartPosition.beginning()).startOffsets(download.resumeOffsets()).build()) {
      while (true) {
        List<ConsumedAlert> alerts = consumer.poll(Duration.ofMillis(500));
        if (!alerts.isEmpty()) {
          download.write(alerts);
          written += alerts.size();
        } else if (!consumer.lag().isEmpty() && consumer.lag().values().stream().allMatch(l -> l == 0)) {
          break;
        }
      }
    }
    System.out.println("RESULT {\"written\": " + written + ", \"files\": " + download.files() + "}");
  }
}
