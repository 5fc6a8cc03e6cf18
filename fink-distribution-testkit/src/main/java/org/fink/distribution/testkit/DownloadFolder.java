package org.fink.distribution.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The finished files of a download folder ({@code consume --output}), listed while a download may still be writing
 * into it: the download renames its hidden temporary files when they are complete, and a file listed and then
 * renamed before {@link Files#walk} reads its attributes makes the walk fail, so such a walk is taken again.
 *
 * <pre>{@code
 * while (download.isAlive() && DownloadFolder.finishedFiles(folder, ".avro").size() < 3) { ... }
 * }</pre>
 */
public final class DownloadFolder {

  private DownloadFolder() {
  }

  /** The files under {@code folder} whose name ends with {@code suffix}, hidden temporary files excluded. */
  public static List<Path> finishedFiles(Path folder, String suffix) throws IOException {
    while (true) {
      if (!Files.isDirectory(folder)) {
        return List.of();
      }
      try (Stream<Path> all = Files.walk(folder)) {
        return all.filter(f -> f.getFileName().toString().endsWith(suffix)
            && !f.getFileName().toString().startsWith(".")).toList();
      } catch (UncheckedIOException vanished) {
        if (!(vanished.getCause() instanceof NoSuchFileException)) {
          throw vanished;
        }
      } catch (NoSuchFileException vanished) {
        // a folder renamed or removed between the check and the walk: look again
      }
    }
  }
}
