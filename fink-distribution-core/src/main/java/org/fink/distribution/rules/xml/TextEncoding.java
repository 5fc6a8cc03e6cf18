package org.fink.distribution.rules.xml;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.SourceLocation;

/**
 * Refuses a rules file whose bytes are not text in its encoding (UTF-8 unless a byte order mark or the XML declaration
 * says otherwise), with the line and column of the first bad byte. The XML parser would refuse it too, but it prints
 * its own "[Fatal Error]" line on the terminal first.
 *
 * <pre>{@code
 * Optional<RuleProblem> bad = TextEncoding.problem(bytes, "rules.xml");
 * }</pre>
 */
final class TextEncoding {
  private static final Pattern DECLARED =
      Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

  private TextEncoding() {}

  static Optional<RuleProblem> problem(byte[] bytes, String name) {
    Charset charset = charset(bytes);
    if (charset == null) {
      return Optional.empty();  // an encoding Java does not know: the parser names it
    }
    CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 2);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (!result.isError()) {
      return Optional.empty();
    }
    out.flip();
    int line = 1;
    int column = 1;
    for (int i = 0; i < out.length(); i++) {
      if (out.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    int at = Math.min(in.position(), bytes.length - 1);
    return Optional.of(new RuleProblem(new SourceLocation(name, line, column), "not " + charset.name()
        + " text (byte 0x" + String.format("%02X", bytes[at] & 0xff) + "); save the file as UTF-8 (e.g. iconv -f"
        + " latin1 -t utf-8), or remove the character"));
  }

  /** The encoding of the bytes: a byte order mark's, else the XML declaration's, else UTF-8; null if unknown. */
  private static Charset charset(byte[] b) {
    if (b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF
        && b[1] == (byte) 0xFE))) {
      return StandardCharsets.UTF_16;
    }
    if (b.length >= 4 && b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] == '?') {
      return StandardCharsets.UTF_16BE;
    }
    if (b.length >= 4 && b[0] == '<' && b[1] == 0 && b[2] == '?' && b[3] == 0) {
      return StandardCharsets.UTF_16LE;
    }
    int start = b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF ? 3 : 0;
    String head = new String(b, start, Math.min(b.length - start, 200), StandardCharsets.ISO_8859_1);
    Matcher declared = DECLARED.matcher(head);
    if (start == 0 && declared.find()) {
      try {
        return Charset.isSupported(declared.group(1)) ? Charset.forName(declared.group(1)) : null;
      } catch (IllegalCharsetNameException e) {
        return null;
      }
    }
    return StandardCharsets.UTF_8;
  }
}
