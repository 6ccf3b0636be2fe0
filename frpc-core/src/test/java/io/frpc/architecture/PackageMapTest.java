package io.frpc.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The package map of frpc-core (docs/architecture.md, "Package map"), enforced: which package may use which,
 * no cycles, and the few internal types that other packages must see.
 */
class PackageMapTest {

  private static final Pattern TABLE_ROW = Pattern.compile("\\| `((?:[a-z]+\\.)?[A-Z][A-Za-z]+)` \\|.*");

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc");

  /** The public API packages; the root package {@code io.frpc} is both vocabulary and the node's assembly. */
  private static final String[] API = {"io.frpc", "io.frpc.bridge..", "io.frpc.client..", "io.frpc.discovery..", "io.frpc.pubsub..",
      "io.frpc.observability..", "io.frpc.status..", "io.frpc.time.."};

  @Test
  void packagesBelowTheRootFormNoCycle() {
    slices().matching("io.frpc.(**)").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void internalPackagesDependOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("API").definedBy(API)
        .layer("Protocol").definedBy("io.frpc.internal.protocol..")
        .layer("Security").definedBy("io.frpc.internal.security..")
        .layer("Transport").definedBy("io.frpc.internal.transport..")
        .layer("Modules").definedBy("io.frpc.internal.module..")
        .layer("Routing").definedBy("io.frpc.internal.routing..")
        .layer("PubSub").definedBy("io.frpc.internal.pubsub..")
        .layer("TypedClients").definedBy("io.frpc.internal.client..")
        .whereLayer("TypedClients").mayOnlyBeAccessedByLayers("API")
        .whereLayer("PubSub").mayOnlyBeAccessedByLayers("API")
        .whereLayer("Modules").mayOnlyBeAccessedByLayers("API")
        .whereLayer("Routing").mayOnlyBeAccessedByLayers("PubSub", "API")
        .whereLayer("Transport").mayOnlyBeAccessedByLayers("Modules", "Routing", "PubSub", "API")
        .whereLayer("Security").mayOnlyBeAccessedByLayers("Transport", "API")
        .whereLayer("Protocol").mayOnlyBeAccessedByLayers("Transport", "Modules", "Routing", "PubSub", "API")
        .check(CORE);
  }

  @Test
  void theSharedInternalPackageUsesNoOtherInternalPackage() {
    noClasses().that().resideInAPackage("io.frpc.internal")
        .should().dependOnClassesThat().resideInAPackage("io.frpc.internal.*..")
        .check(CORE);
  }

  @Test
  void apiPackagesOtherThanTheRootUseNoInternalLayer() {
    noClasses().that().resideInAnyPackage("io.frpc.bridge..", "io.frpc.client..", "io.frpc.discovery..",
            "io.frpc.pubsub..", "io.frpc.observability..", "io.frpc.status..", "io.frpc.time..")
        .should().dependOnClassesThat().resideInAPackage("io.frpc.internal.*..")
        .check(CORE);
  }

  /**
   * The root package holds the vocabulary every layer speaks (ids, exceptions, listener interfaces) and the
   * entry points that assemble and drive a node (FrpcNode, FrpcTemplate, the call builders). The layers below
   * the typed clients use the vocabulary only, so the assembly stays on top; the one exception is the module
   * dispatcher, which sets the {@code FrpcCall} a handler reads.
   */
  @Test
  void internalLayersUseTheRootPackageOnlyForItsVocabulary() {
    DescribedPredicate<JavaClass> entryPoint = DescribedPredicate.describe("an entry point of io.frpc",
        type -> type.getPackageName().equals("io.frpc") && !type.getName().equals("io.frpc.FrpcCall")
            && type.getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("io.frpc.internal.")));
    noClasses().that().resideInAnyPackage("io.frpc.internal", "io.frpc.internal.protocol..",
            "io.frpc.internal.security..", "io.frpc.internal.transport..", "io.frpc.internal.routing..",
            "io.frpc.internal.pubsub..", "io.frpc.internal.module..")
        .should().dependOnClassesThat(entryPoint)
        .check(CORE);
  }

  @Test
  void coreRunsWithoutSpring() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(CORE);
  }

  /**
   * Internal types are package-private unless another package must use them. Each public one is listed in
   * docs/architecture.md ("Public types of internal packages") with why; this keeps that list true.
   */
  @Test
  void publicInternalTypesAreTheListedOnes() throws IOException {
    Set<String> actual = new TreeSet<>();
    for (JavaClass type : CORE) {
      if (type.getPackageName().startsWith("io.frpc.internal") && type.getModifiers().contains(JavaModifier.PUBLIC)
          && type.getEnclosingClass().isEmpty()) {
        actual.add(type.getName().substring("io.frpc.internal.".length()));
      }
    }
    assertThat(actual).containsExactlyInAnyOrderElementsOf(listedInArchitectureDoc());
  }

  /** The first column of the table under "Public types of internal packages" in docs/architecture.md. */
  private static Set<String> listedInArchitectureDoc() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "architecture.md"));
    int heading = lines.indexOf("### Public types of internal packages");
    assertThat(heading).as("docs/architecture.md has the heading '### Public types of internal packages'")
        .isNotNegative();
    Set<String> listed = new TreeSet<>();
    for (String line : lines.subList(heading + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      Matcher row = TABLE_ROW.matcher(line);
      if (row.matches()) {
        listed.add(row.group(1));
      }
    }
    return listed;
  }
}
