package org.fink.distribution.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code --version} of both launchers: this build's version, and the libraries' versions on the class path. */
class VersionInfoTest {
  @Test
  void versionNamesTheBuildAndTheSparkKafkaAndAvroInside() {
    String[] lines = new VersionInfo().getVersion();
    assertTrue(lines[0].startsWith("fink-distribution ") && !lines[0].contains("${"), lines[0]);
    assertTrue(lines[1].matches("Spark 4\\.\\S+, Kafka clients \\d\\S+, Avro 1\\.\\S+, Scala 2\\.13\\.\\S+, Java .+"),
        lines[1]);
  }

  @Test
  void bothLaunchersPrintIt() {
    for (var command : new picocli.CommandLine[] {FinkCommand.commandLine(), FinkKafkaCommand.commandLine()}) {
      StringWriter out = new StringWriter();
      command.setOut(new PrintWriter(out));
      assertEquals(0, command.execute("--version"));
      assertTrue(out.toString().startsWith("fink-distribution "), out.toString());
    }
  }
}
