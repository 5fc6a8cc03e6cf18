package org.fink.distribution.cli.view;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fink.distribution.kafka.ConsumedAlert;

/**
 * One self-contained HTML file of alerts, for sharing by mail: the summary table, then every alert's section with
 * its cutouts as data: URIs, its light curve (Chart.js and the viewer's script inlined) and its Avro and JSON as
 * data: links. Opens offline in any browser.
 *
 * <pre>{@code
 * StaticExport.write(Path.of("alerts.html"), "fink_outstream", alerts, Stretch.ZSCALE);
 * }</pre>
 */
public final class StaticExport {
  private StaticExport() {}

  /** Writes the page of {@code alerts} to {@code file} (through a temporary file, then renamed). */
  public static void write(Path file, String title, List<ConsumedAlert> alerts, Stretch stretch) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> sections = new ArrayList<>();
    long seq = 0;
    for (ConsumedAlert a : alerts) {
      seq++;
      rows.add(AlertSummary.of(seq, a));
      sections.add(AlertPage.section(seq, a, stretch, AlertPage.Links.EMBEDDED));
    }
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path temporary = Files.createTempFile(parent, "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, Pages.export(title, rows, sections), StandardCharsets.UTF_8);
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
