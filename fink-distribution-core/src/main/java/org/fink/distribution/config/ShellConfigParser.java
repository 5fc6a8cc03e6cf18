package org.fink.distribution.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads shell-style {@code KEY=value} files: {@code #} comments, single quotes (literal), double quotes and bare words
 * (with {@code ${VAR}}, {@code $VAR} and {@code ${VAR:-default}} expansion), an optional {@code export} prefix, and
 * {@code source FILE} / {@code . FILE} to include another file.
 */
final class ShellConfigParser {
  private static final Pattern ASSIGNMENT = Pattern.compile("^(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
  private static final Pattern SOURCE = Pattern.compile("^(?:source|\\.)\\s+(.+)$");
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final int MAX_SOURCE_DEPTH = 8;
  /** The largest configuration file read. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  /** One assignment as read, with where it was read. */
  record Entry(String key, String value, Path file, int line) {}

  private final Function<String, String> lookup;
  private final Map<String, String> defined = new LinkedHashMap<>();
  private final List<Entry> entries = new ArrayList<>();

  /** @param outside resolves names not defined in the files (environment, predefined values); may return null */
  ShellConfigParser(Function<String, String> outside) {
    this(name -> null, outside);
  }

  /**
   * @param pinned values that win over the files' own definitions of the same name (keys overridden by the
   *     environment or the command line, so that {@code ${KEY}} in a file sees the value in force); may return null
   * @param outside resolves names neither pinned nor defined in the files; may return null
   */
  ShellConfigParser(Function<String, String> pinned, Function<String, String> outside) {
    this.lookup = name -> {
      String value = pinned.apply(name);
      if (value != null) {
        return value;
      }
      return defined.containsKey(name) ? defined.get(name) : outside.apply(name);
    };
  }

  List<Entry> parse(Path file) {
    parse(file, 0);
    return entries;
  }

  private void parse(Path file, int depth) {
    if (depth > MAX_SOURCE_DEPTH) {
      throw new ConfigException(file + ": files source each other more than " + MAX_SOURCE_DEPTH + " deep (a loop?)");
    }
    List<String> lines = readLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String where = file + ":" + (i + 1);
      String line = stripComment(lines.get(i), where).strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher source = SOURCE.matcher(line);
      if (source.matches()) {
        Path included = Path.of(unquote(source.group(1).strip(), where));
        if (!included.isAbsolute()) {
          included = file.toAbsolutePath().getParent().resolve(included);
        }
        if (!Files.isRegularFile(included)) {
          throw new ConfigException(where + ": cannot source " + included + ": no such file; fix the path"
              + " (a relative path is relative to " + file.toAbsolutePath().getParent() + ")");
        }
        parse(included, depth + 1);
        continue;
      }
      Matcher assignment = ASSIGNMENT.matcher(line);
      if (!assignment.matches()) {
        throw new ConfigException(where + ": expected KEY=value, source FILE or a # comment, found: " + line);
      }
      String key = assignment.group(1);
      String value = unquote(assignment.group(2).strip(), where);
      defined.put(key, value);
      entries.add(new Entry(key, value, file, i + 1));
    }
  }

  /**
   * The lines of a configuration file: a regular file of at most {@link #MAX_FILE_BYTES}, in UTF-8 (or ASCII);
   * anything else is refused with the file, the line and the fix.
   */
  private static List<String> readLines(Path file) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new ConfigException("cannot read configuration file " + file + ": it is "
          + (Files.isDirectory(file) ? "a folder" : "not a regular file (a device or a pipe)")
          + "; name a KEY=value file such as conf/fink.conf.distribution");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException("configuration file " + file + " is larger than " + MAX_FILE_BYTES / 1024
          + " KiB; a configuration file holds KEY=value lines: name the right file");
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new ConfigException(file + ":" + line + ": not UTF-8 text (byte 0x"
          + String.format("%02X", bytes[at] & 0xff) + " at column " + (at - lineStart + 1) + "); save the file as"
          + " UTF-8 (e.g. iconv -f latin1 -t utf-8), or remove the character");
    }
    out.flip();
    String text = out.toString();
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);  // a byte order mark, as some editors write
    }
    if (text.indexOf('\0') >= 0) {
      int line = (int) text.substring(0, text.indexOf('\0')).chars().filter(c -> c == '\n').count() + 1;
      throw new ConfigException(file + ":" + line + ": a NUL character: not UTF-8 text (UTF-16, or not text at all);"
          + " save the file as UTF-8, or name a KEY=value file such as conf/fink.conf.distribution");
    }
    return text.lines().toList();
  }

  /** Removes a {@code #} comment that starts a word outside quotes. */
  private static String stripComment(String line, String where) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          i++;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    if (quote != 0) {
      throw new ConfigException(where + ": unterminated " + quote + " quote; close it on the same line");
    }
    return line;
  }

  /** Turns a shell word into its value: quotes removed, references expanded except inside single quotes. */
  private String unquote(String word, String where) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < word.length()) {
      char c = word.charAt(i);
      if (c == '\'') {
        int end = word.indexOf('\'', i + 1);
        out.append(word, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        int end = i + 1;
        StringBuilder inner = new StringBuilder();
        while (word.charAt(end) != '"') {
          if (word.charAt(end) == '\\' && end + 1 < word.length()) {
            end++;
          }
          inner.append(word.charAt(end++));
        }
        out.append(expand(inner.toString(), where));
        i = end + 1;
      } else if (Character.isWhitespace(c)) {
        throw new ConfigException(where + ": unquoted space in value '" + word + "'; put the value in quotes");
      } else {
        int end = i;
        while (end < word.length() && "'\"".indexOf(word.charAt(end)) < 0
            && !Character.isWhitespace(word.charAt(end))) {
          end++;
        }
        out.append(expand(word.substring(i, end), where));
        i = end;
      }
    }
    return out.toString();
  }

  String expand(String text, String where) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3);
      String value = lookup.apply(name);
      if ((value == null || value.isEmpty()) && m.group(2) != null) {
        value = m.group(2);
      }
      if (value == null) {
        throw new ConfigException(where + ": ${" + name + "} is not defined; define it earlier in the file or in the"
            + " environment, or give a default with ${" + name + ":-value}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
