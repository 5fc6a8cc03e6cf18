package org.fink.distribution.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * Text made safe for HTML: escaped element text and attribute values, and JSON that can sit inside a
 * {@code <script type="application/json">} element (every {@code <} written as {@code \u003c}).
 *
 * <pre>{@code
 * "<td>" + HtmlText.escape(value) + "</td>"
 * }</pre>
 */
public final class HtmlText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlText() {}

  /** {@code text} with {@code & < > " '} escaped: safe as element text and as a quoted attribute value. */
  public static String escape(Object text) {
    String s = String.valueOf(text);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code value} as JSON (Jackson), with {@code <} escaped so that it cannot close a script element. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
