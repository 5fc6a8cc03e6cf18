package org.fink.distribution.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny file system for disk-full tests: a 512 KiB tmpfs mounted on a folder (Linux, as root). Where mounting
 * is not allowed, {@link #mount} says so and tests fall back or skip.
 */
final class SmallDisk {
  static final String SIZE = "512k";

  private SmallDisk() {}

  /** Mounts a {@value #SIZE} tmpfs on {@code folder}; false when not allowed (not root, no mount, a container...). */
  static boolean mount(Path folder) {
    return run(List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", folder.toString())) == 0;
  }

  /** Unmounts it (lazily, so that a file Spark still holds open cannot keep it busy). */
  static void unmount(Path folder) {
    if (run(List.of("umount", folder.toString())) != 0) {
      run(List.of("umount", "-l", folder.toString()));
    }
  }

  /** Fills the file system of {@code folder} with a file until no byte is left. */
  static void fill(Path folder) throws IOException {
    byte[] block = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(folder.resolve("filler"))) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (full.getMessage() == null || !full.getMessage().contains("No space left on device")) {
        throw full;
      }
    }
    // the last partial blocks too
    try (OutputStream out = Files.newOutputStream(folder.resolve("filler-tail"))) {
      for (int i = 0; i < block.length; i++) {
        out.write(0);
        out.flush();
      }
    } catch (IOException full) {
      // full to the last byte
    }
  }

  private static int run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      if (process.exitValue() != 0) {
        System.err.println(String.join(" ", command) + ": exit " + process.exitValue() + ": " + output);
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
