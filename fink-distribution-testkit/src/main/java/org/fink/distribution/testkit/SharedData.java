package org.fink.distribution.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Assumptions;

/**
 * The real survey alerts and schemas (ZTF, Rubin) of {@code /work/shared/data}, read-only, outside the repository.
 *
 * <p>Its location is the system property {@code fink.shared.data} (surefire sets it to {@code ../shared/data} beside
 * the repository; override it with {@code mvn -Dfink.shared.data=/path ...}), else {@code ../../shared/data} from the
 * module folder. Every method that returns a path under it skips the calling test when the folder is absent, with a
 * JUnit assumption that names the folder and the property: call them from the test or from {@code @BeforeEach}, never
 * from {@code @BeforeAll}, where a failed assumption aborts the class and Surefire reports no test at all.
 */
public final class SharedData {
  /** The system property that locates the data. */
  public static final String PROPERTY = "fink.shared.data";

  private SharedData() {}

  /** Where the data is looked for, present or not. */
  public static Path location() {
    return Path.of(System.getProperty(PROPERTY, "../../shared/data")).toAbsolutePath().normalize();
  }

  /** The data folder, or skips the calling test when it is absent. */
  public static Path root() {
    return require("");
  }

  /** A folder under the data ({@code ztf/alerts}, {@code lsst}, ...), or skips the calling test when it is absent. */
  public static Path require(String relative) {
    Path dir = location().resolve(relative).normalize();
    Assumptions.assumeTrue(Files.isDirectory(dir), () -> "real survey data not found at " + dir
        + ": test skipped (it needs the shared data; point -D" + PROPERTY + "=<folder> at it)");
    return dir;
  }

  /** The ZTF alert container files ({@code ztf/alerts}), or skips the calling test. */
  public static Path ztfAlerts() {
    return require("ztf/alerts");
  }

  /**
   * The ZTF alert schema of a version, parsed with one parser from the files in dependency order.
   *
   * @param version folder name under {@code ztf/schema}: 3.1, 3.2, 3.3, 4.02
   */
  public static Schema ztfSchema(String version) {
    Path dir = require("ztf/schema").resolve(version);
    Schema.Parser parser = new Schema.Parser();
    Schema alert = null;
    for (String name : List.of("cutout", "candidate", "prv_candidate", "fp_hist", "alert")) {
      Path file = dir.resolve(name + ".avsc");
      if (Files.isRegularFile(file)) {
        try {
          alert = parser.parse(file.toFile());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return alert;
  }

  /** The {@code .avro} files of a folder, sorted by name. */
  public static List<Path> avroFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A MANIFEST.tsv as one map per row, by column name. */
  public static List<Map<String, String>> manifest(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      String[] header = lines.get(0).split("\t", -1);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split("\t", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], i < cells.length ? cells[i] : "");
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An Avro container file's writer schema and records. */
  public record Container(Schema writer, List<GenericRecord> records) {}

  /** The writer schema and the records of an Avro container file. */
  public static Container readContainer(Path file) {
    try (InputStream in = Files.newInputStream(file);
        DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
      List<GenericRecord> records = new ArrayList<>();
      stream.forEach(records::add);
      return new Container(stream.getSchema(), records);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }
}
