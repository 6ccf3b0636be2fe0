package io.frpc.sample.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.frpc.FrpcNode;
import io.frpc.sample.server.SampleServerApplication;
import io.frpc.spring.autoconfigure.FrpcAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is what applications may use: the samples, written as a user would, never touch
 * {@code io.frpc.internal}; public types expose no internal types. The package rules of each module are in
 * its own tests (frpc-core's {@code PackageMapTest}, the Spring module's {@code SpringPackageMapTest}).
 */
class ArchitectureTest {

  private static final String INTERNAL = "io.frpc.internal..";

  private static JavaClasses classesOf(Class<?>... members) {
    ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
    return importer.importUrls(Stream.of(members)
        .map(member -> member.getProtectionDomain().getCodeSource().getLocation()).toList());
  }

  @Test
  void theSamplesUseOnlyThePublicApi() {
    noClasses().should().dependOnClassesThat().resideInAPackage(INTERNAL)
        .check(classesOf(SampleClientApplication.class, SampleServerApplication.class));
  }

  @Test
  void publicTypesOutsideInternalExposeNoInternalTypes() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass type : classesOf(FrpcNode.class, FrpcAutoConfiguration.class)) {
      if (type.getPackageName().startsWith("io.frpc.internal") || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      for (JavaCodeUnit member : type.getCodeUnits()) {
        if (!member.getModifiers().contains(JavaModifier.PUBLIC)) {
          continue;
        }
        Stream.concat(Stream.of(member.getRawReturnType()), member.getRawParameterTypes().stream())
            .filter(exposed -> exposed.getPackageName().startsWith("io.frpc.internal"))
            .forEach(exposed -> leaks.add(member.getFullName() + " exposes " + exposed.getName()));
      }
    }
    assertThat(leaks).isEmpty();
  }
}
