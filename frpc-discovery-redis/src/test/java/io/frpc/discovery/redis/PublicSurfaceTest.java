package io.frpc.discovery.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What an application sees of the module: the discovery, its builder and registration state, and its settings;
 * everything else is package-private. And the module works without Spring Boot.
 */
class PublicSurfaceTest {

  private static final JavaClasses MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc.discovery.redis");

  @Test
  void onlyTheDiscoveryItsBuilderAndItsSettingsArePublic() {
    assertThat(MODULE.stream().filter(PublicSurfaceTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(
            RedisNodeDiscovery.class.getName(), RedisNodeDiscovery.Builder.class.getName(),
            RedisNodeDiscovery.RegistrationState.class.getName(), RedisDiscoverySettings.class.getName());
  }

  /** Public, and so is every type it is nested in (a member of a package-private interface is public, but hidden). */
  private static boolean reachableFromOutside(JavaClass type) {
    return type.getModifiers().contains(JavaModifier.PUBLIC)
        && type.getEnclosingClass().map(PublicSurfaceTest::reachableFromOutside).orElse(true);
  }

  @Test
  void theModuleDoesNotNeedSpringBoot() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..").check(MODULE);
  }
}
