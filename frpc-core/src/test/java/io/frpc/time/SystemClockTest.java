package io.frpc.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SystemClockTest {

  @Test
  void aTaskRunsOnceDueAndCannotBeCancelledAfterwards() throws InterruptedException {
    try (SystemClock clock = new SystemClock("test")) {
      CountDownLatch ran = new CountDownLatch(1);
      long start = clock.nanoTime();
      FrpcClock.ScheduledTask task = clock.schedule(ran::countDown, 20, TimeUnit.MILLISECONDS);
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
      assertThat(task.cancel()).isFalse();
    }
  }

  @Test
  void aCancelledTaskIsStoppedOnce() {
    try (SystemClock clock = new SystemClock("test")) {
      FrpcClock.ScheduledTask task = clock.schedule(() -> { }, 1, TimeUnit.HOURS);
      assertThat(task.cancel()).isTrue();
      assertThat(task.cancel()).isFalse();
    }
  }
}
