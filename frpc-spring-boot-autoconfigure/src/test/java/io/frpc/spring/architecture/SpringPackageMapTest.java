package io.frpc.spring.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package map of the Spring module (docs/architecture.md): the annotations and events applications use
 * ({@code io.frpc.spring}) never reach into the auto-configuration, the two form no cycle, and neither uses
 * the core's internal packages beyond the few shared helpers.
 */
class SpringPackageMapTest {

  private static final JavaClasses SPRING = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc.spring");

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.frpc.(**)").should().beFreeOfCycles().check(SPRING);
  }

  @Test
  void theApplicationFacingPackageDoesNotUseTheAutoConfiguration() {
    noClasses().that().resideInAPackage("io.frpc.spring")
        .should().dependOnClassesThat().resideInAPackage("io.frpc.spring.autoconfigure..")
        .check(SPRING);
  }

  @Test
  void theSpringModuleUsesOnlyTheSharedInternalHelpersOfTheCore() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.frpc.internal.*..").check(SPRING);
  }
}
