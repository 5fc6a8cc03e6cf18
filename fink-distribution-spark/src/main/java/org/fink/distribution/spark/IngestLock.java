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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest at a time per science database: an operating-system lock ({@link FileChannel#tryLock()}) on the file
 * {@value #FILE_NAME} in the database folder, which holds the holder's process id and start time. Two ingests that
 * both read the database before either appends would each store the alerts the other does not see yet; with the lock,
 * the second is refused at once, and run again later stores only what is still missing. The lock is released when the
 * ingest ends, and by the operating system if its process dies: a stale file never blocks.
 *
 * <p>Only a database on the local file system is locked; on HDFS or S3, run one ingest at a time.
 *
 * <pre>{@code
 * try (IngestLock lock = IngestLock.acquire(db)) {   // IngestException: "another ingest is running ... (pid N, since T)"
 *   ... read what is stored, append what is new ...
 * }
 * }</pre>
 */
final class IngestLock implements AutoCloseable {
  /** The lock file in the science database folder (a name Spark's readers skip). */
  static final String FILE_NAME = "_fink_ingest.lock";
  private static final Logger LOG = LoggerFactory.getLogger(IngestLock.class);

  private final FileChannel channel;
  private final FileLock lock;

  private IngestLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of a science database, or fails at once if another ingest holds it.
   *
   * @throws IngestException when another ingest holds it (the message names its process id and start time), or the
   *     lock file cannot be written
   */
  static IngestLock acquire(ScienceDb db) {
    Optional<Path> folder = localFolder(db.path());
    if (folder.isEmpty()) {
      LOG.warn("the science database {} is not on the local file system: ingest cannot lock it; run one ingest at a"
          + " time", db.path());
      return new IngestLock(null, null);
    }
    Path file = folder.get().resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(folder.get());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) { // held by this JVM
        lock = null;
      }
      if (lock == null) {
        String holder = holder(file);
        channel.close();
        throw new IngestException("another ingest is running into the science database " + folder.get() + " ("
            + holder + "; lock file " + file + "): wait until it ends, then ingest again (alerts it stored are"
            + " skipped)", null);
      }
      String text = "pid " + ProcessHandle.current().pid() + ", since "
          + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new IngestLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IngestException("cannot lock the science database " + folder.get() + " for ingest: cannot write "
          + file + " (" + e + "); make the folder writable by this user", e);
    }
  }

  /** Releases the lock (the file stays: deleting it would let two processes lock two different files). */
  @Override
  public void close() {
    if (lock != null) {
      try {
        lock.release();
      } catch (IOException e) {
        LOG.debug("releasing the ingest lock: {}", e.toString());
      }
      closeQuietly(channel);
    }
  }

  /** What the lock file says of its holder: "pid N, since T". */
  private static String holder(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "pid unknown, just started" : text;
    } catch (IOException e) {
      return "pid unknown";
    }
  }

  /** The database folder when it is on the local file system (a plain path or a {@code file:} URI). */
  static Optional<Path> localFolder(String path) {
    if (path.startsWith("file:")) {
      return Optional.of(Path.of(new org.apache.hadoop.fs.Path(path).toUri().getPath()).toAbsolutePath());
    }
    int colon = path.indexOf(':');
    int slash = path.indexOf('/');
    boolean scheme = colon > 1 && (slash < 0 || colon < slash);
    return scheme ? Optional.empty() : Optional.of(Path.of(path).toAbsolutePath());
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing after a failure: the failure is reported
      }
    }
  }
}
