package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.fink.distribution.config.ConfigKey;
import org.fink.distribution.rules.DistributionRules;
import org.fink.distribution.rules.RuleValidator;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.sample.SyntheticAlerts;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The generated parts of {@code docs/} match the code: the table of configuration keys ({@link ConfigKey}, the key
 * registry) in {@code docs/configuration.md} and the usage help of every command (picocli) in {@code docs/commands.md}.
 * They sit between {@code <!-- generated: NAME -->} and {@code <!-- end generated: NAME -->}; to regenerate them after
 * a change of a key or an option:
 *
 * <pre>
 * mvn -o -pl fink-distribution-cli -am test -Dtest=UserDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dfink.docs.write=true
 * </pre>
 */
class UserDocsTest {
  private static final Path DOCS = Path.of(System.getProperty("fink.home", "..")).resolve("docs");
  private static final boolean WRITE = Boolean.getBoolean("fink.docs.write");

  @Test
  void configurationTableListsEveryKeyWithItsDefault() throws IOException {
    checkGenerated(DOCS.resolve("configuration.md"), "config-keys", configurationTable());
  }

  @Test
  void commandReferenceIsTheUsageHelpOfEveryCommand() throws IOException {
    StringBuilder text = new StringBuilder();
    usage(FinkCommand.commandLine(), text);
    usage(FinkKafkaCommand.commandLine(), text);
    checkGenerated(DOCS.resolve("commands.md"), "usage", text.toString());
  }

  @Test
  void bashCompletionScriptsAreGeneratedFromTheCommands() throws IOException {
    Path folder = DOCS.getParent().resolve("conf/completion");
    checkWhole(folder.resolve("fink.bash"), AutoComplete.bash("fink", FinkCommand.commandLine()));
    checkWhole(folder.resolve("fink_kafka.bash"),
        AutoComplete.bash("fink_kafka", FinkKafkaCommand.commandLine()));
  }

  @Test
  void everyKeyOfTheDefaultConfigurationFilesIsAKnownKey() throws IOException {
    Pattern assignment = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=", Pattern.MULTILINE);
    for (String file : List.of("conf/fink.conf", "conf/fink.conf.distribution")) {
      Matcher keys = assignment.matcher(Files.readString(DOCS.getParent().resolve(file)));
      while (keys.find()) {
        assertTrue(ConfigKey.named(keys.group(1)).isPresent(), file + " sets " + keys.group(1)
            + ", which is not a key of ConfigKey (nor of docs/configuration.md)");
      }
    }
  }

  @Test
  void everyRuleExampleOfTheReferenceReadsAndValidates() throws IOException {
    Schema schema = SyntheticAlerts.ztf(SyntheticAlerts.DEFAULT_SEED).schema();
    Matcher blocks = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(DOCS.resolve("rules.md")));
    int examples = 0;
    while (blocks.find()) {
      String xml = blocks.group(1).strip();
      String document = xml.startsWith("<distribution-rules>") ? xml
          : "<distribution-rules><select><column name=\"objectId\"/></select><filter>" + xml
          + "</filter></distribution-rules>";
      // watchlist catalogs are named as if the rules file were in conf/examples (where the example catalog is)
      RulesXml.Checked checked = RulesXml.check(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
          "docs/rules.md example " + ++examples, DOCS.resolveSibling("conf/examples"));
      assertEquals(List.of(), checked.problems(), "docs/rules.md example " + examples + ":\n" + xml);
      DistributionRules rules = checked.rules();
      assertEquals(List.of(), RuleValidator.problems(rules, schema), "docs/rules.md example " + examples + ":\n" + xml);
    }
    assertTrue(examples >= 15, "docs/rules.md has " + examples + " XML examples");
  }

  static String configurationTable() {
    StringBuilder table = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    for (ConfigKey key : ConfigKey.values()) {
      String value = key.defaultValue().map(v -> v.isEmpty() ? "(empty)" : "`" + v + "`").orElse("(none)");
      table.append("| `").append(key.name()).append("` | ").append(cell(value)).append(" | ")
          .append(cell(key.description())).append(" |\n");
    }
    return table.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  private static void usage(CommandLine command, StringBuilder text) {
    List<String> names = new ArrayList<>();
    for (CommandLine c = command; c != null; c = c.getParent()) {
      names.add(0, c.getCommandName());
    }
    text.append("\n### ").append(String.join(" ", names)).append("\n\n```\n")
        .append(command.getUsageMessage(Ansi.OFF).stripTrailing()).append("\n```\n");
    for (CommandLine sub : command.getSubcommands().values()) {
      usage(sub, text);
    }
  }

  /** The text between the markers of {@code name} in {@code file} equals {@code generated} (or is replaced by it). */
  private static void checkGenerated(Path file, String name, String generated) throws IOException {
    String begin = "<!-- generated: " + name + " -->\n";
    String end = "<!-- end generated: " + name + " -->";
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    assertTrue(from >= 0 && to > from, file + " lacks the markers " + begin.strip() + " ... " + end);
    String current = text.substring(from + begin.length(), to);
    String wanted = generated.strip() + "\n";
    if (WRITE && !current.equals(wanted)) {
      Files.writeString(file, text.substring(0, from + begin.length()) + wanted + text.substring(to));
      return;
    }
    assertEquals(wanted, current, file + " is out of date with the code: regenerate it with -Dfink.docs.write=true"
        + " (see UserDocsTest)");
  }

  private static void checkWhole(Path file, String generated) throws IOException {
    if (WRITE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated);
      return;
    }
    assertTrue(Files.exists(file), file + " is missing: generate it with -Dfink.docs.write=true (see UserDocsTest)");
    assertEquals(generated, Files.readString(file), file + " is out of date with the commands: regenerate it with"
        + " -Dfink.docs.write=true (see UserDocsTest)");
  }
}
