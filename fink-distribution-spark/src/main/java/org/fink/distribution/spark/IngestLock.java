package org.fink.distribution.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest at a time per science database: a {@link ProcessLock} on the file {@value #FILE_NAME} in the database
 * folder. Two ingests that both read the database before either appends would each store the alerts the other does
 * not see yet; with the lock, the second is refused at once, and run again later stores only what is still missing.
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

  private final ProcessLock lock;

  private IngestLock(ProcessLock lock) {
    this.lock = lock;
  }

  /**
   * Takes the lock of a science database, or fails at once if another ingest holds it.
   *
   * @throws IngestException when another ingest holds it (the message names its process id and start time), or the
   *     lock file cannot be written
   */
  static IngestLock acquire(ScienceDb db) {
    Optional<Path> folder = ProcessLock.localFolder(db.path());
    if (folder.isEmpty()) {
      LOG.warn("the science database {} is not on the local file system: ingest cannot lock it; run one ingest at a"
          + " time", db.path());
      return new IngestLock(null);
    }
    Path file = folder.get().resolve(FILE_NAME);
    ProcessLock lock;
    try {
      lock = ProcessLock.tryAcquire(file);
    } catch (IOException e) {
      throw new IngestException("cannot lock the science database " + folder.get() + " for ingest: cannot write "
          + file + " (" + e + "); make the folder writable by this user", e);
    }
    if (lock == null) {
      throw new IngestException("another ingest is running into the science database " + folder.get() + " ("
          + ProcessLock.holder(file) + "; lock file " + file + "): wait until it ends, then ingest again (alerts it"
          + " stored are skipped)", null);
    }
    return new IngestLock(lock);
  }

  /** Releases the lock. */
  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
