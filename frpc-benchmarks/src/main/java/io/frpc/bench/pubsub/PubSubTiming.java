package io.frpc.bench.pubsub;

import java.time.Duration;

/**
 * How long each run lasts and how often it is repeated.
 *
 * @param warmup      publishing before the measurement starts, for the JIT to reach steady state
 * @param measure     the measured interval
 * @param repetitions runs of every scenario on every system; the report shows medians
 */
record PubSubTiming(Duration warmup, Duration measure, int repetitions) {

  static final PubSubTiming DEFAULT = new PubSubTiming(Duration.ofSeconds(5), Duration.ofSeconds(5), 3);

  PubSubTiming {
    if (warmup.isNegative() || measure.isNegative() || measure.isZero() || repetitions < 1) {
      throw new IllegalArgumentException("warm-up must be at least 0 s, the measured interval and the repetitions "
          + "at least 1, but were " + warmup.toSeconds() + " s, " + measure.toSeconds() + " s, " + repetitions);
    }
  }

  /** {@code [warm-up seconds] [measured seconds] [repetitions]}, each defaulting to {@link #DEFAULT}'s. */
  static PubSubTiming parse(String[] args) {
    return new PubSubTiming(
        args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : DEFAULT.warmup,
        args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1])) : DEFAULT.measure,
        args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT.repetitions);
  }
}
