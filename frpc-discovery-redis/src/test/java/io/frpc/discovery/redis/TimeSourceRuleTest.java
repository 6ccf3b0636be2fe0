package io.frpc.discovery.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Redis discovery reads the time and sets its timers on the node's clock ({@code DiscoveryContext.clock()}), so the
 * tests move it instead of waiting: no read of the system's time, no scheduler of its own, no thread-local random
 * for back-off (frpc-core has the same rule).
 */
class TimeSourceRuleTest {

  private static final JavaClasses MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc.discovery.redis");

  @Test
  void noClassReadsTheSystemsTime() {
    noClasses().should().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .check(MODULE);
  }

  /** A task set on a scheduler (a JDK or Netty executor's {@code schedule...}) rather than on the node's clock. */
  private static final DescribedPredicate<JavaMethodCall> SCHEDULES_ON_AN_EXECUTOR = DescribedPredicate.describe(
      "set a task on a ScheduledExecutorService", call -> call.getTarget().getOwner()
          .isAssignableTo(ScheduledExecutorService.class) && call.getTarget().getName().startsWith("schedule"));

  @Test
  void noClassSetsATimerOutsideTheClockOrDrawsAThreadLocalRandom() {
    noClasses().should().callMethodWhere(SCHEDULES_ON_AN_EXECUTOR)
        .orShould().dependOnClassesThat().areAssignableTo(ThreadLocalRandom.class)
        .check(MODULE);
  }
}
