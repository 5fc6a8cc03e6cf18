package org.fink.distribution.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The quarantine folder of ingest: a bad alert file is moved there, under its own name (with {@code .1}, {@code .2}...
 * when the name is taken), and its reason is written beside it in {@code <name>.reason.txt}.
 *
 * <pre>{@code
 * BadAlertFile moved = Quarantine.move(bad, Path.of("quarantine"));   // moved.movedTo(): quarantine/x.avro
 * }</pre>
 */
final class Quarantine {
  private Quarantine() {}

  static BadAlertFile move(BadAlertFile bad, Path folder) {
    try {
      Files.createDirectories(folder);
      String name = bad.file().getFileName().toString();
      Path target = folder.resolve(name);
      for (int i = 1; Files.exists(target) || Files.exists(reasonFile(target)); i++) {
        target = folder.resolve(name + "." + i);
      }
      Files.move(bad.file(), target);
      Files.writeString(reasonFile(target), bad.file().toAbsolutePath() + " " + bad.reason() + "\n",
          StandardCharsets.UTF_8);
      return new BadAlertFile(bad.file(), bad.reason(), target);
    } catch (IOException e) {
      throw new IngestException("cannot set the bad alert file " + bad.file() + " aside in the quarantine folder "
          + folder + " (" + e + "); make the folder writable, or remove the file: it " + bad.reason(), e);
    }
  }

  private static Path reasonFile(Path target) {
    return target.resolveSibling(target.getFileName() + ".reason.txt");
  }
}
