package io.frpc.bench.pubsub;

import java.time.Duration;

/**
 * How long each run lasts, how often it is repeated and how many messages a throughput run keeps in flight.
 *
 * @param warmup      publishing before the measurement starts, for the JIT to reach steady state
 * @param measure     the measured interval
 * @param repetitions runs of every scenario on every system; the report shows medians
 * @param window      throughput runs: messages published but not yet received by the slowest subscriber, at
 *                    most
 */
record PubSubSettings(Duration warmup, Duration measure, int repetitions, int window) {

  static final PubSubSettings DEFAULT = new PubSubSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), 3, 1_000);

  PubSubSettings {
    if (warmup.isNegative() || measure.isNegative() || measure.isZero() || repetitions < 1 || window < 1) {
      throw new IllegalArgumentException("the warm-up must be at least 0 s, the measured interval, the repetitions "
          + "and the window at least 1, but were " + warmup.toSeconds() + " s, " + measure.toSeconds() + " s, "
          + repetitions + ", " + window);
    }
  }

  /**
   * {@code [warm-up seconds] [measured seconds] [repetitions] [window]}, each defaulting to {@link #DEFAULT}'s.
   */
  static PubSubSettings parse(String[] args) {
    return new PubSubSettings(
        args.length > 0 ? Duration.ofSeconds(Long.parseLong(args[0])) : DEFAULT.warmup,
        args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1])) : DEFAULT.measure,
        args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT.repetitions,
        args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT.window);
  }
}
