package io.frpc.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));

  @Test
  void timeMovesOnlyWhenAdvanced() {
    assertThat(clock.nanoTime()).isZero();
    clock.advance(Duration.ofMillis(1500));
    assertThat(clock.nanoTime()).isEqualTo(1_500_000_000L);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-02T00:00:01.500Z"));
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tasksRunInDueOrderAtTheirDueTime() {
    List<String> ran = new ArrayList<>();
    clock.schedule(() -> ran.add("b@" + clock.nanoTime()), 2, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("a@" + clock.nanoTime()), 1, TimeUnit.SECONDS);
    clock.schedule(() -> ran.add("c@" + clock.nanoTime()), 2, TimeUnit.SECONDS);
    clock.advance(Duration.ofMillis(999));
    assertThat(ran).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("a@1000000000", "b@2000000000", "c@2000000000");
    assertThat(clock.nanoTime()).isEqualTo(5_999_000_000L);
  }

  @Test
  void aTaskScheduledByATaskRunsWithinTheSameAdvanceWhenDue() {
    List<Long> ticks = new ArrayList<>();
    Runnable[] tick = new Runnable[1];
    tick[0] = () -> {
      ticks.add(clock.nanoTime());
      clock.schedule(tick[0], 1, TimeUnit.SECONDS);
    };
    clock.schedule(tick[0], 1, TimeUnit.SECONDS);
    clock.advance(Duration.ofMillis(3500));
    assertThat(ticks).containsExactly(1_000_000_000L, 2_000_000_000L, 3_000_000_000L);
    assertThat(clock.pendingDelays()).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void aCancelledTaskNeverRuns() {
    List<String> ran = new ArrayList<>();
    FrpcClock.ScheduledTask task = clock.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);
    assertThat(task.cancel()).isTrue();
    assertThat(task.cancel()).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void theWallClockCanStepWithoutMovingMonotonicTime() {
    clock.setWallClock(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(clock.nanoTime()).isZero();
    assertThat(clock.instant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
  }
}
