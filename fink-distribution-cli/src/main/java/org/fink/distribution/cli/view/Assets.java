package org.fink.distribution.cli.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The pages' static files, read from the class path: Chart.js from its WebJar ({@code org.webjars.npm:chart.js}, the
 * npm package's UMD build) and the viewer's own script and style sheet. Nothing comes from the network.
 *
 * <pre>{@code
 * byte[] chartJs = Assets.bytes("chart.umd.js");
 * }</pre>
 */
public final class Assets {
  /** Chart.js's version: the WebJar's folder. */
  static final String CHART_JS_VERSION = "4.4.1";
  /** URL name to class path resource. */
  static final Map<String, String> FILES = Map.of(
      "chart.umd.js", "META-INF/resources/webjars/chart.js/" + CHART_JS_VERSION + "/dist/chart.umd.js",
      "view.js", "org/fink/distribution/cli/view/view.js",
      "view.css", "org/fink/distribution/cli/view/view.css");

  private Assets() {}

  /** The bytes of asset {@code name} ({@code chart.umd.js}, {@code view.js}, {@code view.css}); null if unknown. */
  public static byte[] bytes(String name) {
    String resource = FILES.get(name);
    if (resource == null) {
      return null;
    }
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the class path lacks " + resource + " (the jar of " + name + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asset {@code name} as text. */
  public static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The content type of asset {@code name}. */
  static String contentType(String name) {
    return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
  }
}
