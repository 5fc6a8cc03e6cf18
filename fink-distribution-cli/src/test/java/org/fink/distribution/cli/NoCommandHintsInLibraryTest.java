package org.fink.distribution.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.fink.distribution.FinkException;
import org.fink.distribution.spark.Distribution;
import org.fink.kafka.admin.FinkKafkaAdmin;
import org.junit.jupiter.api.Test;

/**
 * The library modules (core, Kafka admin, Spark) name problems and fixes in their own terms; only the command line
 * names its commands: no class of those modules holds a string constant with "bin/fink" or "fink_kafka".
 */
class NoCommandHintsInLibraryTest {
  private static final String COMMAND = "bin/fink";
  private static final String ADMIN_COMMAND = "fink_kafka";

  @Test
  void onlyTheCommandLineNamesItsCommands() {
    JavaClasses library = new ClassFileImporter().importLocations(
        Stream.of(FinkException.class, FinkKafkaAdmin.class, Distribution.class)
            .map(NoCommandHintsInLibraryTest::codeSource).toList());
    classes().that().resideOutsideOfPackage("org.fink.distribution.cli..")
        .should(holdNoStringConstantContaining(COMMAND)).andShould(holdNoStringConstantContaining(ADMIN_COMMAND))
        .because("library messages name the fix in library terms; the launchers add their commands (CommandHints)")
        .check(library);
  }

  /** String constants are stored in the class file's constant pool as (modified) UTF-8: look for their bytes. */
  private static ArchCondition<JavaClass> holdNoStringConstantContaining(String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    return new ArchCondition<>("hold no string constant containing \"" + text + "\"") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        boolean found = javaClass.getSource().map(source -> {
          try (InputStream in = source.getUri().toURL().openStream()) {
            return indexOf(in.readAllBytes(), needle) >= 0;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).orElse(false);
        if (found) {
          events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " holds \"" + text + "\""));
        }
      }
    };
  }

  /** The class folder or jar of a module. */
  private static Location codeSource(Class<?> moduleClass) {
    try {
      Path path = Path.of(moduleClass.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isDirectory(path) ? Location.of(path) : Location.of(new JarFile(path.toFile()));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot find the classes of " + moduleClass, e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
