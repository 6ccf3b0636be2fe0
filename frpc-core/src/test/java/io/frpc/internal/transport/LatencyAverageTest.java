package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The round-trip average behind least-loaded routing, fed by hand: it jumps to a higher sample, moves towards a
 * lower one by the time passed rather than by the number of samples, and decays while nothing is recorded.
 */
class LatencyAverageTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  /** An arbitrary start of the clock, as {@code System.nanoTime()} has one. */
  private static final long T0 = 123_456_789_000L;

  private final LatencyAverage average = new LatencyAverage();

  @Test
  void withoutASampleTheAverageIsUnknown() {
    assertThat(average.nanos(T0)).isEqualTo(-1);
  }

  @Test
  void theFirstSampleIsTheAverage() {
    average.record(T0, T0 + 3 * MS);

    assertThat(average.nanos(T0 + 3 * MS)).isEqualTo(3 * MS);
  }

  @Test
  void aHigherSampleReplacesTheAverageAtOnce() {
    average.record(T0, T0 + MS);
    average.record(T0 + MS, T0 + 21 * MS);

    assertThat(average.nanos(T0 + 21 * MS)).isEqualTo(20 * MS);
  }

  @Test
  void aLowerSampleOneWindowLaterMovesTheAverageByOneMinusOneOverE() {
    average.record(T0, T0 + 10 * MS);
    long later = T0 + 10 * MS + LatencyAverage.WINDOW_NANOS;

    average.record(later - MS, later);

    double expected = MS + 9 * MS * Math.exp(-1);
    assertThat((double) average.nanos(later)).isCloseTo(expected, within(expected * 1e-3));
  }

  @Test
  void aLowerSampleRightAfterTheLastOneHardlyMovesTheAverage() {
    average.record(T0, T0 + 10 * MS);

    average.record(T0 + 10 * MS, T0 + 11 * MS);

    assertThat(average.nanos(T0 + 11 * MS)).isCloseTo(10 * MS, within(10 * MS / 1000));
  }

  /** A busy connection and a quiet one forget an old peak at the same pace. */
  @Test
  void lowerSamplesWeighByTheTimeTheySpanNotByTheirNumber() {
    LatencyAverage busy = new LatencyAverage();
    LatencyAverage quiet = new LatencyAverage();
    busy.record(T0, T0 + 10 * MS);
    quiet.record(T0, T0 + 10 * MS);
    long end = T0 + 30 * SECOND;

    for (long t = T0 + 10 * MS + MS; t <= end; t += MS) {
      busy.record(t - MS, t);
    }
    for (long t = T0 + 10 * MS + 100 * MS; t <= end; t += 100 * MS) {
      quiet.record(t - MS, t);
    }

    double expected = MS + 9 * MS * Math.exp(-3);
    assertThat((double) busy.nanos(end)).as("30,000 samples").isCloseTo(expected, within(expected * 0.03));
    assertThat((double) quiet.nanos(end)).as("300 samples").isCloseTo(expected, within(expected * 0.03));
  }

  @Test
  void withoutSamplesTheAverageDecaysTowardsZeroSoASlowNodeIsTriedAgain() {
    average.record(T0, T0 + 20 * MS);
    long last = T0 + 20 * MS;

    assertThat((double) average.nanos(last + LatencyAverage.WINDOW_NANOS))
        .isCloseTo(20 * MS * Math.exp(-1), within(20 * MS * 1e-3));
    assertThat(average.nanos(last + 10 * LatencyAverage.WINDOW_NANOS)).isLessThan(1_000);
  }

  @Test
  void aSampleStampedJustBeforeTheLastOneIsTakenAsSimultaneous() {
    average.record(T0, T0 + 10 * MS);

    average.record(T0, T0 + 5 * MS);

    assertThat(average.nanos(T0 + 10 * MS)).as("not reset to the sample as after a long gap")
        .isCloseTo(10 * MS, within(10 * MS / 1000));
  }

  @Test
  void theAverageCarriesAcrossTheWrapOfItsTickCounter() {
    long beforeWrap = ((long) Integer.MAX_VALUE << 16) - 5 * SECOND;
    average.record(beforeWrap - 10 * MS, beforeWrap);
    long afterWrap = beforeWrap + LatencyAverage.WINDOW_NANOS;

    average.record(afterWrap - MS, afterWrap);

    double expected = MS + 9 * MS * Math.exp(-1);
    assertThat((double) average.nanos(afterWrap)).isCloseTo(expected, within(expected * 1e-3));
  }
}
