package io.frpc.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.frpc.internal.module.FunctionHandler;
import io.frpc.test.autoconfigure.AutoConfigureFrpc;
import io.frpc.test.autoconfigure.FrpcStubs;
import io.frpc.test.autoconfigure.FrpcTest;
import io.frpc.test.autoconfigure.FrpcTestAutoConfiguration;
import org.junit.jupiter.api.Test;

/**
 * What a test sees of the module: the cluster, its nodes and their events, and stubs; with Spring, the test slice,
 * its auto-configuration and its stubs; everything else is package-private. Only the Spring package needs Spring,
 * and of frpc-core's internals only the function handler its stubs are.
 */
class PublicSurfaceTest {

  private static final JavaClasses MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc.test");

  @Test
  void onlyTheClusterItsNodesTheirEventsAndStubsArePublic() {
    assertThat(MODULE.stream().filter(PublicSurfaceTest::reachableFromOutside).map(JavaClass::getName))
        .containsExactlyInAnyOrder(FrpcCluster.class.getName(), FrpcCluster.Builder.class.getName(),
            FrpcCluster.NodeBuilder.class.getName(), ClusterNode.class.getName(), NodeEvent.class.getName(),
            FrpcStub.class.getName(), FrpcTest.class.getName(), AutoConfigureFrpc.class.getName(),
            FrpcTestAutoConfiguration.class.getName(), FrpcStubs.class.getName());
  }

  /** Public, and so is every type it is nested in. */
  private static boolean reachableFromOutside(JavaClass type) {
    return type.getModifiers().contains(JavaModifier.PUBLIC)
        && type.getEnclosingClass().map(PublicSurfaceTest::reachableFromOutside).orElse(true);
  }

  @Test
  void onlyTheSpringPackageNeedsSpringAndOfTheCoresInternalsOnlyFunctionHandlers() {
    noClasses().that().resideOutsideOfPackage("io.frpc.test.autoconfigure").should().dependOnClassesThat().resideInAPackage("org.springframework..").check(MODULE);
    noClasses().should().dependOnClassesThat(DescribedPredicate.describe("internal types other than FunctionHandler",
        type -> type.getPackageName().startsWith("io.frpc.internal") && !type.isEquivalentTo(FunctionHandler.class)))
        .check(MODULE);
  }
}
