package org.fink.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.Schema;
import org.fink.distribution.config.FinkConfig;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.testkit.ZtfLikeSchema;
import org.junit.jupiter.api.function.Executable;

/**
 * Mutates the shipped rules files ({@code conf/*.xml}, {@code conf/examples/*.xml}) and configuration files
 * ({@code conf/fink.conf*}) as a careless or hostile user would (truncation, deep nesting, huge lists, random bytes,
 * odd encodings) and checks that reading and checking each result gives valid rules or configuration, or a domain
 * error ({@link FinkException}): never another exception, never more than {@link #BOUND} per case. Bounded to a few
 * hundred cases per property, seconds in all.
 */
class HostileInputFuzzTest {
  /** The most one case may take. */
  static final Duration BOUND = Duration.ofSeconds(10);
  private static final Schema DB = ZtfLikeSchema.alert();
  private static final Path HOME = Path.of(System.getProperty("fink.home", "..")).toAbsolutePath().normalize();
  private static Path work;

  /** How an input is spoiled; {@code seed} picks where and what. */
  enum Mutation {
    TRUNCATE, FLIP_BYTES, INSERT_RANDOM_BYTES, DEEP_NESTING, HUGE_LIST, REPEAT_CHUNK, UTF16, LATIN1_ACCENTS,
    REPLACE_VALUE, LONG_LINE, NUL_BYTES, SOURCE_ITSELF
  }

  @BeforeContainer
  static void workFolder() throws IOException {
    work = Files.createTempDirectory("fink-fuzz");
    Files.createDirectories(work.resolve("conf"));
    Files.copy(HOME.resolve("conf/fink.conf"), work.resolve("conf/fink.conf"));
  }

  @AfterContainer
  static void removeWorkFolder() throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<Path> rulesFiles() throws IOException {
    try (Stream<Path> top = Files.list(HOME.resolve("conf")); Stream<Path> examples =
        Files.list(HOME.resolve("conf/examples"))) {
      List<Path> files = Stream.concat(top, examples).filter(p -> p.toString().endsWith(".xml")).sorted().toList();
      return Arbitraries.of(files);
    }
  }

  @Provide
  Arbitrary<Path> configFiles() {
    return Arbitraries.of(HOME.resolve("conf/fink.conf"), HOME.resolve("conf/fink.conf.distribution"));
  }

  @Property(tries = 300, shrinking = ShrinkingMode.OFF)
  void aMutatedRulesFileIsReadOrRefusedWithADomainError(@ForAll("rulesFiles") Path file,
      @ForAll Mutation mutation, @ForAll long seed) throws IOException {
    byte[] bytes = mutate(Files.readAllBytes(file), mutation, new Random(seed), true);
    String name = file.getFileName() + " " + mutation + " " + seed;
    quietly(name, () -> {
      try {
        DistributionRules rules = RulesXml.read(new ByteArrayInputStream(bytes), name);
        RuleValidator.problems(rules, DB);
        RuleValidator.warnings(rules, DB);
        RulesXml.write(rules);
      } catch (FinkException e) {
        // a domain error: fine
      }
    });
  }

  @Property(tries = 300, shrinking = ShrinkingMode.OFF)
  void aMutatedConfigurationFileIsLoadedOrRefusedWithADomainError(@ForAll("configFiles") Path file,
      @ForAll Mutation mutation, @ForAll long seed) throws IOException {
    byte[] bytes = mutate(Files.readAllBytes(file), mutation, new Random(seed), false);
    Path mutated = work.resolve("conf/fink.conf.mutated");
    Files.write(mutated, bytes);
    String name = file.getFileName() + " " + mutation + " " + seed;
    quietly(name, () -> {
      try {
        FinkConfig.load(mutated, work, Map.of(), Map.of());
      } catch (FinkException e) {
        // a domain error: fine
      }
    });
  }

  /**
   * Runs one case within {@link #BOUND}; it must print nothing on stderr (the XML parser prints "[Fatal Error]" lines
   * and stack traces of its own for some inputs: those inputs must be refused before it sees them).
   */
  private static void quietly(String name, Executable run) {
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      assertTimeoutPreemptively(BOUND, run, name);
    } finally {
      System.setErr(err);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals("", text, name + " printed on stderr");
  }

  private static byte[] mutate(byte[] original, Mutation mutation, Random random, boolean xml) {
    int at = original.length == 0 ? 0 : random.nextInt(original.length);
    return switch (mutation) {
      case TRUNCATE -> Arrays.copyOf(original, at);
      case FLIP_BYTES -> {
        byte[] copy = original.clone();
        for (int i = 0, n = 1 + random.nextInt(8); i < n && copy.length > 0; i++) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield copy;
      }
      case INSERT_RANDOM_BYTES -> {
        byte[] noise = new byte[1 + random.nextInt(64)];
        random.nextBytes(noise);
        yield splice(original, at, noise);
      }
      case DEEP_NESTING -> {
        int depth = 1 + random.nextInt(3000);
        String open = xml ? (random.nextBoolean() ? "<and>" : "<or>") : "source ";
        String close = xml ? "</" + open.substring(1) : "";
        String nested = xml ? open.repeat(depth) + "<column name=\"candid\" operator=\"=\" value=\"1\"/>"
            + close.repeat(depth) : "X=${" .repeat(depth) + "}".repeat(depth) + "\n";
        yield splice(original, xmlInsertionPoint(original, random, at), nested.getBytes(StandardCharsets.UTF_8));
      }
      case HUGE_LIST -> {
        StringBuilder list = new StringBuilder();
        for (int i = 0, n = random.nextInt(30_000); i < n; i++) {
          list.append(i == 0 ? "" : ",").append(random.nextBoolean() ? Long.toString(random.nextLong())
              : "'" + Integer.toHexString(random.nextInt()) + "'");
        }
        String text = xml ? "<column name=\"candidate.fid\" operator=\"in\" value=\"" + list + "\"/>"
            : "\nDISTRIBUTION_SERVERS=\"" + list + "\"\n";
        yield splice(original, xmlInsertionPoint(original, random, at), text.getBytes(StandardCharsets.UTF_8));
      }
      case REPEAT_CHUNK -> {
        int length = Math.min(original.length - at, 1 + random.nextInt(400));
        byte[] chunk = Arrays.copyOfRange(original, at, at + Math.max(0, length));
        byte[] out = original;
        for (int i = 0, n = random.nextInt(500); i < n; i++) {
          out = splice(out, at, chunk);
          if (out.length > 8 * 1024 * 1024) {
            break;
          }
        }
        yield out;
      }
      case UTF16 -> recode(original, random.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_16LE);
      case LATIN1_ACCENTS -> splice(original, at, "\u00e9\u00e8\u00ff".getBytes(StandardCharsets.ISO_8859_1));
      case REPLACE_VALUE -> {
        String text = new String(original, StandardCharsets.UTF_8);
        String[] odd = {"NaN", "1e400", "-1", "99999999999999999999", "1.5", "''", "'", "\"", "${", "$", "&amp;",
            "&#0;", "&bogus;", "<", "]]>", "\u0000", "local[0]", "garbage://x", " ", ""};
        String value = odd[random.nextInt(odd.length)];
        yield (xml ? text.replaceFirst("value=\"[^\"]*\"", "value=\"" + java.util.regex.Matcher.quoteReplacement(
            value) + "\"") : text.replaceFirst("=([^\\n]*)", "=" + java.util.regex.Matcher.quoteReplacement(value)))
            .getBytes(StandardCharsets.UTF_8);
      }
      case LONG_LINE -> splice(original, at, "x".repeat(random.nextInt(300_000)).getBytes(StandardCharsets.UTF_8));
      case NUL_BYTES -> splice(original, at, new byte[1 + random.nextInt(16)]);
      case SOURCE_ITSELF -> xml
          ? splice(original, at, "<!DOCTYPE r [<!ENTITY a \"&a;\">]>".getBytes(StandardCharsets.UTF_8))
          : ("source fink.conf.mutated\n" + new String(original, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
    };
  }

  /** Somewhere inside {@code <filter>} when there is one, else anywhere. */
  private static int xmlInsertionPoint(byte[] original, Random random, int fallback) {
    String text = new String(original, StandardCharsets.ISO_8859_1);
    int filter = text.indexOf("<filter>");
    return filter >= 0 && random.nextInt(4) > 0 ? filter + "<filter>".length() : fallback;
  }

  private static byte[] splice(byte[] original, int at, byte[] inserted) {
    byte[] out = new byte[original.length + inserted.length];
    System.arraycopy(original, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(original, at, out, at + inserted.length, original.length - at);
    return out;
  }

  private static byte[] recode(byte[] utf8, Charset charset) {
    return new String(utf8, StandardCharsets.UTF_8).getBytes(charset);
  }
}
