package io.frpc.internal.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A moving average of the round-trip times of one connection's calls that rises at once and falls slowly
 * (a "peak" EWMA): a sample above the average replaces it; a lower one moves it by a weight that grows with the
 * time since the last sample, {@code 1 - e^(-elapsed / 10 s)}, however many calls there were. Read, the average
 * decays towards zero by the same rule, so a node that looked slow and was therefore left alone is tried again
 * after a while instead of never.
 *
 * <p>The state is one {@code long}, changed by compare-and-set without allocating: the time of the last sample
 * in ticks of 2<sup>16</sup> ns (65.5 µs) in the high half, the average in nanoseconds as a {@code float} in the
 * low half. The ticks wrap after 2<sup>32</sup> of them (about 78 hours): a connection idle for that long may
 * take its old average for a fresh one until the next sample. Samples closer together than a tick leave the
 * average where it is, unless they are above it.
 */
final class LatencyAverage {

  /** The time constant of the decay: a sample weighs {@code 1/e} of its first weight this much later. */
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final int TICK_SHIFT = 16;
  /** No sample yet: the low half is a NaN, which no average is. */
  private static final long NONE = -1L;
  /**
   * A sample stamped a little before the last one (two threads read the clock, the later reader stored first) is
   * taken as simultaneous, not as 78 hours later: up to 2<sup>16</sup> ticks, about 4 s.
   */
  private static final int REORDERED_TICKS = 1 << 16;

  private final AtomicLong state = new AtomicLong(NONE);

  /** Adds the round trip of a call sent at {@code startNanos} and answered (or given up) at {@code endNanos}. */
  void record(long startNanos, long endNanos) {
    float sample = Math.max(0, endNanos - startNanos);
    int now = ticks(endNanos);
    while (true) {
      long current = state.get();
      float next;
      if (current == NONE) {
        next = sample;
      } else {
        float average = average(current);
        next = sample >= average ? sample : (float) (sample + (average - sample) * decay(now, current));
      }
      if (state.compareAndSet(current, ((long) now << 32) | (Float.floatToRawIntBits(next) & 0xFFFF_FFFFL))) {
        return;
      }
    }
  }

  /** The average at {@code nowNanos}, decayed since the last sample; -1 before the first sample. */
  long nanos(long nowNanos) {
    long current = state.get();
    return current == NONE ? -1 : (long) (average(current) * decay(ticks(nowNanos), current));
  }

  /** {@code e^(-elapsed / window)} for the time from the last sample of {@code state} to {@code now}. */
  private static double decay(int now, long state) {
    int elapsed = now - (int) (state >>> 32);
    if (elapsed < 0 && elapsed > -REORDERED_TICKS) {
      return 1;
    }
    double x = (double) (Integer.toUnsignedLong(elapsed) << TICK_SHIFT) / WINDOW_NANOS;
    // between calls a few microseconds apart x is about 1e-6: the series' first terms are exact to a double's
    // precision there, and spare an exp per call
    return x < 1e-3 ? 1 - x + x * x / 2 : Math.exp(-x);
  }

  private static float average(long state) {
    return Float.intBitsToFloat((int) state);
  }

  private static int ticks(long nanos) {
    return (int) (nanos >> TICK_SHIFT);
  }
}
