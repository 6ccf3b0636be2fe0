package io.frpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void waitsDoubleUpToTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800), 2, 0);
    SplittableRandom random = new SplittableRandom(1);
    assertThat(backoff.delayNanos(1, random)).isEqualTo(100_000_000L);
    assertThat(backoff.delayNanos(2, random)).isEqualTo(200_000_000L);
    assertThat(backoff.delayNanos(4, random)).isEqualTo(800_000_000L);
    assertThat(backoff.delayNanos(5, random)).isEqualTo(800_000_000L);
    assertThat(backoff.delayNanos(10_000, random)).isEqualTo(800_000_000L);
  }

  @Test
  void jitterSpreadsWaitsWithinItsBounds() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
    SplittableRandom random = new SplittableRandom(7);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      long wait = backoff.delayNanos(1, random);
      min = Math.min(min, wait);
      max = Math.max(max, wait);
    }
    assertThat(min).isBetween(80_000_000L, 85_000_000L);
    assertThat(max).isBetween(115_000_000L, 120_000_000L);
  }

  @Test
  void aWaitIsAtLeastOneMillisecond() {
    Backoff backoff = new Backoff(Duration.ofNanos(10), Duration.ofNanos(10), 1, 0);
    assertThat(backoff.delayNanos(1, new SplittableRandom())).isEqualTo(1_000_000L);
  }

  @Test
  void nonsenseIsRefusedWithTheReason() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("0 < initial <= max");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("0 < initial <= max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
        .hasMessageContaining("multiplier >= 1");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 2))
        .hasMessageContaining("jitter");
  }
}
