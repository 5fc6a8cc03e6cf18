package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The notebook scripts of {@code examples/notebooks/} use only the public API as it is: each script is split into
 * snippets exactly as jshell splits it (a line that completes a statement ends the snippet), and the snippets are
 * compiled, in order, as the body of one method against this module's test classpath. Nothing runs (no Spark): a
 * renamed class or method, or a snippet that jshell would cut in the wrong place, fails here.
 */
class NotebookScriptTest {
  @TempDir Path out;

  @ParameterizedTest
  @ValueSource(strings = {"imports.jsh", "rules.jsh"})
  void scriptCompilesAgainstThePublicApi(String name) throws IOException {
    Path script = ConfigOptions.finkHome().resolve("examples/notebooks").resolve(name);
    List<String> snippets = snippets(Files.readString(script));
    assertFalse(snippets.isEmpty(), script + " holds no snippet");

    StringBuilder source = new StringBuilder();
    snippets.stream().filter(s -> s.startsWith("import ")).forEach(s -> source.append(s).append('\n'));
    source.append("public class NotebookScript {\n  public static void run() throws Exception {\n");
    for (String snippet : snippets) {
      if (!snippet.startsWith("import ")) {
        assertFalse(snippet.startsWith("."), () -> "jshell would take this line as a snippet of its own: " + snippet);
        source.append(snippet).append(snippet.endsWith(";") || snippet.endsWith("}") ? "\n" : ";\n");
      }
    }
    source.append("  }\n}\n");
    Path file = Files.writeString(out.resolve("NotebookScript.java"), source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean compiled = javac.getTask(null, files, diagnostics,
          List.of("-proc:none", "-classpath", classpath, "-d", out.toString()), null,
          files.getJavaFileObjects(file)).call();
      String errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n"));
      assertTrue(compiled, () -> name + " does not compile against the API:\n" + errors + "\n--- as compiled:\n"
          + source);
      assertEquals("", errors);
    }
  }

  /**
   * The snippets of a script, as jshell cuts them when it loads a file: line by line, a snippet ends at the first
   * line where the input read so far is complete (leading comment lines dropped).
   */
  private static List<String> snippets(String script) {
    List<String> snippets = new ArrayList<>();
    try (JShell shell = JShell.builder().executionEngine("local").build()) {
      SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
      String pending = "";
      for (String line : script.split("\n", -1)) {
        pending = pending + line + "\n";
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending);
        while (info.completeness().isComplete()) {
          snippets.add(withoutLeadingComments(info.source()));
          pending = info.remaining();
          info = analysis.analyzeCompletion(pending);
        }
        if (info.completeness() == Completeness.EMPTY) {
          pending = "";
        }
      }
      String rest = pending;
      assertTrue(rest.isBlank(), () -> "incomplete snippet at the end: " + rest);
    }
    return snippets;
  }

  private static String withoutLeadingComments(String snippet) {
    String s = snippet.strip();
    while (s.startsWith("//")) {
      int end = s.indexOf('\n');
      s = end < 0 ? "" : s.substring(end + 1).strip();
    }
    return s;
  }
}
