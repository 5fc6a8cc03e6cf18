package org.fink.distribution.rules.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.fink.distribution.testkit.SharedData;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.RuleProblem;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.schema.SchemaMerger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped example rules ({@code conf/examples/*.xml} and {@code conf/distribution-rules.xml}). */
class ExampleRulesTest {
  /** Meant for Fink's science database, which has the added-value column cdsxmatch. */
  private static final String FINK_DB_ONLY = "bright-stars-cdsxmatch.xml";

  static Path home() {
    String home = System.getProperty("fink.home");
    return (home != null ? Path.of(home) : Path.of("..")).toAbsolutePath().normalize();
  }

  static List<Path> examples() {
    Path dir = home().resolve("conf/examples");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Path> rulesFiles() {
    return Stream.concat(examples().stream(), Stream.of(home().resolve("conf/distribution-rules.xml")));
  }

  @Test
  void atLeastSixExamplesAreShipped() {
    List<String> names = examples().stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.size() >= 6, names.toString());
    for (String expected : List.of("ztf-purity.xml", "early-sn-candidates.xml", "cone-known-objects.xml",
        "bright-stars-cdsxmatch.xml", "light-curve-length.xml", "multi-stream.xml")) {
      assertTrue(names.contains(expected), expected + " missing from " + names);
    }
  }

  @ParameterizedTest
  @MethodSource("rulesFiles")
  void xmlToAstToXmlToAstIsLossless(Path file) {
    DistributionRules rules = RulesXml.read(file);
    String xml = RulesXml.write(rules);
    DistributionRules back = RulesXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
        file.getFileName() + " (written)");
    assertEquals(rules, back);
    assertEquals(rules.streams(), back.streams());
    assertEquals(xml, RulesXml.write(back), "writing is stable");
  }

  @ParameterizedTest
  @MethodSource("rulesFiles")
  void filesAndTheirWrittenFormFollowTheXsd(Path file) throws Exception {
    RulesXsd.validate(Files.readString(file), file.toString());
    RulesXsd.validate(RulesXml.write(RulesXml.read(file)), file + " (written)");
  }

  /** The science database of the shared ZTF alerts: schemas 3.1, 3.3 and 4.02 merged. */
  private static Schema ztfScienceDb() {
    return SchemaMerger.merge(List.of(SharedData.ztfSchema("3.1"), SharedData.ztfSchema("3.3"),
        SharedData.ztfSchema("4.02")));
  }

  @ParameterizedTest
  @MethodSource("rulesFiles")
  void examplesFitTheZtfAlertSchema(Path file) {
    Schema db = ztfScienceDb();
    List<RuleProblem> problems = RuleValidator.problems(RulesXml.read(file), db);
    if (file.getFileName().toString().equals(FINK_DB_ONLY)) {
      assertEquals(2, problems.size(), problems::toString);
      for (RuleProblem p : problems) {
        assertTrue(p.message().startsWith("unknown field cdsxmatch;"), p.toString());
      }
      assertEquals(List.of(15, 18), problems.stream().map(p -> p.location().line()).toList());
    } else {
      assertEquals(List.of(), problems);
    }
  }
}
