package io.frpc.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcNode;
import io.frpc.internal.Backoff;
import io.frpc.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A link's reconnect waits on a manual clock, with the node's defaults (FrpcNode.DEFAULT_RECONNECT_INITIAL_BACKOFF,
 * 100 ms, and DEFAULT_RECONNECT_MAX_BACKOFF, 800 ms): the first wait, doubling per failure in a row, capped, each
 * spread by ±20%. The real-TCP reconnect is NodeLifecycleTest's.
 */
class ReconnectsTest {

  private static final Backoff DEFAULTS = Reconnects.backoff(new ClientSettings(FrpcNode.DEFAULT_CONNECT_WAIT,
      FrpcNode.DEFAULT_CALL_TIMEOUT, FrpcNode.DEFAULT_CONNECT_TIMEOUT, FrpcNode.DEFAULT_RECONNECT_INITIAL_BACKOFF,
      FrpcNode.DEFAULT_RECONNECT_MAX_BACKOFF, false, FrpcNode.DEFAULT_RETRY_MAX_ATTEMPTS,
      FrpcNode.DEFAULT_RETRY_BACKOFF, FrpcNode.DEFAULT_RETRY_BUDGET_RATIO, FrpcNode.DEFAULT_RETRY_BUDGET_MIN_PER_SECOND,
      FrpcNode.DEFAULT_LOAD_BALANCING));

  private final ManualClock clock = new ManualClock();
  private final List<Long> attempts = new ArrayList<>();

  private Reconnects reconnects(long seed) {
    return new Reconnects(DEFAULTS, clock, new SplittableRandom(seed));
  }

  /** Fails {@code failures} attempts in a row, each retried when its wait has passed; returns the waits. */
  private List<Duration> waitsOf(Reconnects reconnects, int failures) {
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < failures; i++) {
      reconnects.failed();
      reconnects.schedule(() -> attempts.add(clock.nanoTime()));
      Duration wait = clock.pendingDelays().get(0);
      waits.add(wait);
      clock.advance(wait);
    }
    return waits;
  }

  private static long millis(Duration wait) {
    return wait.toMillis();
  }

  @Test
  void theWaitsStartAtTheInitialBackoffDoubleAndStopAtTheMaximumWithinTheJitter() {
    List<Duration> waits = waitsOf(reconnects(1), 7);

    long[] nominal = {100, 200, 400, 800, 800, 800, 800};
    for (int i = 0; i < nominal.length; i++) {
      assertThat(millis(waits.get(i))).as("wait %d", i + 1)
          .isBetween((long) (nominal[i] * 0.8), (long) (nominal[i] * 1.2));
    }
    assertThat(attempts).as("one retry per wait, each when its wait has passed").hasSize(7);
  }

  @Test
  void withTheDefaultsANodeThatWasDownForLongIsTriedAgainWithinASecond() {
    for (long seed = 0; seed < 50; seed++) {
      List<Duration> waits = waitsOf(reconnects(seed), 20);
      assertThat(waits.subList(3, 20)).as("seed %d", seed)
          .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofMillis(640), Duration.ofMillis(960)));
    }
  }

  @Test
  void theSameSeedGivesTheSameWaitsAndAnotherSeedOthers() {
    List<Duration> first = waitsOf(reconnects(42), 6);
    List<Duration> again = waitsOf(reconnects(42), 6);
    List<Duration> other = waitsOf(reconnects(43), 6);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void theRetryRunsWhenItsWaitHasPassedAndNotBefore() {
    Reconnects reconnects = reconnects(7);
    reconnects.failed();
    reconnects.schedule(() -> attempts.add(clock.nanoTime()));
    Duration wait = clock.pendingDelays().get(0);

    clock.advance(wait.minusNanos(1));
    assertThat(attempts).isEmpty();
    clock.advance(Duration.ofNanos(1));
    assertThat(attempts).containsExactly(wait.toNanos());
  }

  @Test
  void aSuccessfulConnectionStartsTheWaitsOverForTheNextLoss() {
    Reconnects reconnects = reconnects(3);
    waitsOf(reconnects, 5);

    reconnects.connected();
    reconnects.schedule(() -> attempts.add(clock.nanoTime()));

    assertThat(millis(clock.pendingDelays().get(0))).as("after a lost connection").isBetween(80L, 120L);
  }

  @Test
  void aCancelledRetryNeverRunsAndANewScheduleReplacesThePendingOne() {
    Reconnects reconnects = reconnects(5);
    reconnects.failed();
    reconnects.schedule(() -> attempts.add(-1L));
    reconnects.schedule(() -> attempts.add(1L));
    assertThat(clock.pendingTasks()).as("replaced, not added").isOne();

    clock.advance(Duration.ofSeconds(1));
    assertThat(attempts).containsExactly(1L);

    reconnects.schedule(() -> attempts.add(2L));
    reconnects.cancel();
    clock.advance(Duration.ofSeconds(1));
    assertThat(attempts).containsExactly(1L);
  }

  @Test
  void failuresInARowAreCounted() {
    Reconnects reconnects = reconnects(9);

    assertThat(reconnects.failed()).isEqualTo(1);
    assertThat(reconnects.failed()).isEqualTo(2);
    reconnects.connected();
    assertThat(reconnects.failed()).as("the first of a new run: NodeLink logs it").isEqualTo(1);
  }
}
