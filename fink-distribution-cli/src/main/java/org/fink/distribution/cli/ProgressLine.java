package org.fink.distribution.cli;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fink.distribution.spark.DistributionProgress;

/**
 * {@code --progress}: one line on the terminal, rewritten twice a second, with what the distribution has done so far
 * (micro-batches, alerts read, messages published, megabytes, rate).
 */
final class ProgressLine implements AutoCloseable {
  private static final char[] SPINNER = {'|', '/', '-', '\\'};

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "fink-progress");
    thread.setDaemon(true);
    return thread;
  });
  private final PrintStream out;
  private final long start = System.nanoTime();
  private int tick;

  ProgressLine(Supplier<DistributionProgress.Summary> progress, PrintStream out) {
    this.out = out;
    timer.scheduleAtFixedRate(() -> draw(progress.get()), 0, 500, TimeUnit.MILLISECONDS);
  }

  private synchronized void draw(DistributionProgress.Summary s) {
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf("\r%c %d batches | %d alerts read | %d messages published | %.1f MB | %.0f alerts/s   ",
        SPINNER[tick++ % SPINNER.length], s.batches(), s.alertsRead(), s.messagesPublished(), s.bytes() / 1e6,
        s.batchMillis() == 0 ? 0 : s.alertsRead() * 1000.0 / s.batchMillis());
    out.flush();
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    out.println();
  }
}
