package org.fink.distribution.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * An operating-system lock ({@link FileChannel#tryLock()}) on a file that holds its holder's process id and start
 * time ("pid N, since T"). The operating system releases it when the process dies: a stale file never blocks. The
 * file stays after {@link #close()} (deleting it would let two processes lock two different files).
 *
 * <pre>{@code
 * try (ProcessLock lock = ProcessLock.tryAcquire(file)) {
 *   if (lock == null) throw new IllegalStateException("held by " + ProcessLock.holder(file));
 *   ...
 * }
 * }</pre>
 */
final class ProcessLock implements AutoCloseable {
  /** How long a new holder may take to write its pid into the file it has just locked. */
  private static final Duration HOLDER_WRITES = Duration.ofSeconds(2);
  private final FileChannel channel;
  private final FileLock lock;

  private ProcessLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, creating the file and its folder; null when another process (or this one) holds it. */
  static ProcessLock tryAcquire(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) { // held in this JVM
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return null;
      }
      String text = "pid " + ProcessHandle.current().pid() + ", since "
          + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new ProcessLock(channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * What the lock file says of its holder: "pid N, since T". A holder writes it just after taking the lock: an empty
   * file is read again for up to {@link #HOLDER_WRITES} before it is reported as just started.
   */
  static String holder(Path file) {
    long deadline = System.nanoTime() + HOLDER_WRITES.toNanos();
    try {
      while (true) {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
          return text;
        }
        if (System.nanoTime() > deadline) {
          return "pid unknown, just started";
        }
        LockSupport.parkNanos(20_000_000L);
      }
    } catch (IOException e) {
      return "pid unknown";
    }
  }

  /** The folder when it is on the local file system (a plain path or a {@code file:} URI); empty for HDFS, S3... */
  static Optional<Path> localFolder(String path) {
    if (path.startsWith("file:")) {
      return Optional.of(Path.of(new org.apache.hadoop.fs.Path(path).toUri().getPath()).toAbsolutePath());
    }
    int colon = path.indexOf(':');
    int slash = path.indexOf('/');
    boolean scheme = colon > 1 && (slash < 0 || colon < slash);
    return scheme ? Optional.empty() : Optional.of(Path.of(path).toAbsolutePath());
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // the operating system releases the lock with the process anyway
    }
  }
}
