package io.frpc.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.frpc.time.SystemClock;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import java.time.temporal.Temporal;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * frpc-core reads the time and sets its timers through the node's {@code FrpcClock}, or, for what belongs to one
 * channel, on that channel's event loop ({@code ctx.executor().ticker()} and {@code schedule}): see
 * docs/architecture.md, "Which clock drives what". A direct read of the system's time, a wheel timer of its own or
 * a thread-local random for back-off would escape the manual clock of the tests.
 */
class TimeSourceRuleTest {

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.frpc");

  /** Calls of, and method references to, {@code System.nanoTime}/{@code currentTimeMillis} and {@code now()}. */
  private static final DescribedPredicate<JavaAccess<?>> READS_THE_SYSTEMS_TIME = DescribedPredicate.describe(
      "read the system's time (System.nanoTime, System.currentTimeMillis, a java.time now())", access -> {
        AccessTarget target = access.getTarget();
        JavaClass owner = target.getOwner();
        return owner.isEquivalentTo(System.class) && (target.getName().equals("nanoTime")
            || target.getName().equals("currentTimeMillis"))
            || owner.isAssignableTo(Temporal.class) && target.getName().equals("now")
            || owner.isEquivalentTo(java.time.Clock.class) && target.getName().startsWith("system");
      });

  /** {@code Timer.newTimeout}: a Netty wheel timer's task. */
  private static final DescribedPredicate<JavaAccess<?>> SETS_A_WHEEL_TIMER_TASK = DescribedPredicate.describe(
      "set a task on a Netty Timer", access -> access.getTarget().getOwner().isAssignableTo(Timer.class)
          && access.getTarget().getName().equals("newTimeout"));

  @Test
  void onlyTheSystemClockReadsTheSystemsTime() {
    ArchRule rule = noClasses().that().doNotBelongToAnyOf(SystemClock.class)
        .should().accessTargetWhere(READS_THE_SYSTEMS_TIME)
        .because("the time comes from the node's FrpcClock, or in a channel handler from ctx.executor().ticker()");
    rule.check(CORE);
  }

  @Test
  void timersAreTheClocksOrAnEventLoops() {
    noClasses().that().doNotBelongToAnyOf(SystemClock.class)
        .should().dependOnClassesThat().belongToAnyOf(HashedWheelTimer.class)
        .orShould().accessTargetWhere(SETS_A_WHEEL_TIMER_TASK)
        .because("timers are set with the node's FrpcClock.schedule, or in a channel handler on ctx.executor()")
        .check(CORE);
  }

  /**
   * The one exception is the call path's draw of two nodes to compare: {@code NodeChoice} hands the calling
   * thread's generator to {@code PowerOfTwoChoices}, which takes any, so its test seeds one.
   */
  @Test
  void backOffIsDrawnFromAGivenRandomGenerator() {
    noClasses().that().doNotHaveFullyQualifiedName("io.frpc.internal.routing.NodeChoice")
        .should().dependOnClassesThat().belongToAnyOf(ThreadLocalRandom.class)
        .because("back-off waits come from io.frpc.internal.Backoff with a RandomGenerator a test can seed")
        .check(CORE);
  }
}
