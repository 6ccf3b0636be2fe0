package io.frpc.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retry number {@code n}: {@code initial × multiplier^(n-1)}, at most {@code max},
 * spread by ±{@code jitter} so that many nodes that failed together do not retry together. The one retry
 * policy of frpc: reconnects, Redis subscriptions and resyncs, accept failures.
 *
 * @param initial    the wait before the first retry
 * @param max        the longest wait
 * @param multiplier how much each failure stretches the wait (1 for a fixed wait)
 * @param jitter     the fraction by which a wait may be shorter or longer, from 0 to 1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("a back-off needs 0 < initial <= max, got " + initial + " and " + max);
    }
    if (!(multiplier >= 1) || !(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("a back-off needs multiplier >= 1 and 0 <= jitter <= 1, got "
          + multiplier + " and " + jitter);
    }
  }

  /** Doubling waits from {@code initial} to {@code max}, spread by ±20%. */
  public static Backoff exponential(Duration initial, Duration max) {
    return new Backoff(initial, max, 2, 0.2);
  }

  /** The same wait every time, spread by ±20%. */
  public static Backoff fixed(Duration wait) {
    return new Backoff(wait, wait, 1, 0.2);
  }

  /**
   * The wait before retry {@code attempt} (1 for the first), in nanoseconds, at least one millisecond.
   *
   * @param random draws the jitter; a seeded generator makes it repeatable
   */
  public long delayNanos(int attempt, RandomGenerator random) {
    double wait = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    wait = Math.min(wait, max.toNanos());
    if (jitter > 0) {
      wait *= random.nextDouble(1 - jitter, 1 + jitter);
    }
    return Math.max(1_000_000L, (long) wait);
  }
}
