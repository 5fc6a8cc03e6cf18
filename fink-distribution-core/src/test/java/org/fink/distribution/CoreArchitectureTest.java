package org.fink.distribution;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package structure of fink-distribution-core (its main classes only): packages do not depend on each other in a
 * cycle, and the module runs without Spark and without a Kafka broker, on kafka-clients alone.
 */
@AnalyzeClasses(packages = "org.fink.distribution", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  /** Kafka's broker side: Scala {@code kafka..}, and every {@code org.apache.kafka} package that kafka-clients' own
   *  {@code clients..} and {@code common..} are not (server, raft, metadata, controller, storage, image, ...). */
  private static final DescribedPredicate<JavaClass> KAFKA_BROKER = resideInAPackage("kafka..")
      .or(resideInAPackage("org.apache.kafka..")
          .and(not(resideInAnyPackage("org.apache.kafka.clients..", "org.apache.kafka.common.."))))
      .as("belong to the Kafka broker (kafka.., org.apache.kafka.server.., .raft.., .metadata.., .controller.., .storage..;"
          + " only kafka-clients' org.apache.kafka.clients.. and org.apache.kafka.common.. are allowed)");

  @ArchTest
  static final ArchRule packagesHaveNoCycles = slices().matching("org.fink.(**)").should().beFreeOfCycles()
      .because("each package has one job and builds on lower ones; move the class whose import closes the cycle");

  @ArchTest
  static final ArchRule noSpark = noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
      .because("fink-distribution-core is used without Spark; Spark code belongs in fink-distribution-spark");

  @ArchTest
  static final ArchRule noKafkaBroker = noClasses().should().dependOnClassesThat(KAFKA_BROKER)
      .because("fink-distribution-core talks to Kafka as a client; broker code belongs in fink-kafka-admin");
}
