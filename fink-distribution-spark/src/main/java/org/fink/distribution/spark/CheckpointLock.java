package org.fink.distribution.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One distribution at a time per checkpoint: a {@link ProcessLock} on {@value #FILE_NAME} in the checkpoint folder,
 * held while the distribution runs. A second distribution on the same checkpoint is refused before it starts, with
 * the first one's process id and start time, instead of Spark's trace. Only a local checkpoint folder is locked.
 *
 * <pre>{@code
 * CheckpointLock lock = CheckpointLock.acquire("run/checkpoints/distribution");   // DistributionException if held
 * ...
 * lock.close();
 * }</pre>
 */
final class CheckpointLock implements AutoCloseable {
  static final String FILE_NAME = "_fink_distribution.lock";
  private final ProcessLock lock;

  private CheckpointLock(ProcessLock lock) {
    this.lock = lock;
  }

  static CheckpointLock acquire(String checkpoint) {
    Optional<Path> folder = ProcessLock.localFolder(checkpoint);
    if (folder.isEmpty()) {
      return new CheckpointLock(null);
    }
    Path file = folder.get().resolve(FILE_NAME);
    ProcessLock lock;
    try {
      lock = ProcessLock.tryAcquire(file);
    } catch (IOException e) {
      throw new DistributionException("cannot write to the checkpoint folder " + checkpoint
          + " (FINK_ALERT_CHECKPOINT_KAFKA): " + e + "; make it writable or set FINK_ALERT_CHECKPOINT_KAFKA to a"
          + " writable folder. Nothing was published.", e);
    }
    if (lock == null) {
      throw new DistributionException("another distribution is running on the checkpoint " + checkpoint + " ("
          + ProcessLock.holder(file) + "; lock file " + file + "): stop it first, or give this one its own"
          + " checkpoint folder (FINK_ALERT_CHECKPOINT_KAFKA). Nothing was published.");
    }
    return new CheckpointLock(lock);
  }

  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
