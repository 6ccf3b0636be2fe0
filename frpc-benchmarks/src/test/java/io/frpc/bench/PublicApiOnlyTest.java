package io.frpc.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure frpc as applications use it: through its public API. The codec micro-benchmark is
 * the one exception, because measuring the internal codec step by step is its purpose.
 */
class PublicApiOnlyTest {

  /** Every class of this module's main code, whatever its package. */
  private static final JavaClasses BENCHMARKS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importUrls(List.of(BenchmarkRunner.class.getProtectionDomain().getCodeSource().getLocation()));

  @Test
  void benchmarksOtherThanTheCodecOneUseNoInternalPackage() {
    noClasses().that().resideOutsideOfPackage("io.frpc.bench.codec..")
        .should().dependOnClassesThat().resideInAPackage("io.frpc.internal..")
        .check(BENCHMARKS);
  }

  @Test
  void noBenchmarkLivesInAPackageOfTheLibrary() {
    noClasses().should().resideOutsideOfPackage("io.frpc.bench..").check(BENCHMARKS);
  }
}
