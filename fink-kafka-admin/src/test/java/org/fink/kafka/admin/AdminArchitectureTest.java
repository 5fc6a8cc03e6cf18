package org.fink.kafka.admin;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The packages of fink-kafka-admin (its main classes only) do not depend on each other in a cycle. */
@AnalyzeClasses(packages = "org.fink.kafka.admin", importOptions = ImportOption.DoNotIncludeTests.class)
class AdminArchitectureTest {
  @ArchTest
  static final ArchRule packagesHaveNoCycles = slices().matching("org.fink.(**)").should().beFreeOfCycles()
      .because("each package has one job and builds on lower ones; move the class whose import closes the cycle");
}
