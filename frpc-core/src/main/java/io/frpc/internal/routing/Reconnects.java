package io.frpc.internal.routing;

import io.frpc.internal.Backoff;
import io.frpc.time.FrpcClock;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * When one link tries again: the count of attempts that failed in a row and the retry they call for, waiting as
 * the reconnect back-off says (the first wait after a failed attempt or a lost connection, doubling per failure
 * in a row, capped, each spread by the back-off's jitter). Not thread-safe: the link's monitor guards it.
 */
final class Reconnects {

  private final Backoff backoff;
  private final FrpcClock clock;
  private final RandomGenerator random;
  private int failures;
  private FrpcClock.ScheduledTask retry;

  /** @param random draws the jitter; owned by this link, so it needs no lock of its own */
  Reconnects(Backoff backoff, FrpcClock clock, RandomGenerator random) {
    this.backoff = backoff;
    this.clock = clock;
    this.random = random;
  }

  /** The back-off of frpc.client.reconnect-initial-backoff and frpc.client.reconnect-max-backoff. */
  static Backoff backoff(ClientSettings settings) {
    return Backoff.exponential(settings.reconnectInitialBackoff(), settings.reconnectMaxBackoff());
  }

  /** An attempt failed; returns how many failed in a row, this one included. */
  int failed() {
    return ++failures;
  }

  /** An attempt succeeded: the next wait is the first one again. */
  void connected() {
    failures = 0;
  }

  /**
   * Runs {@code connect} on the clock's timer thread once the wait the failures in a row call for has passed,
   * replacing a pending retry.
   */
  void schedule(Runnable connect) {
    cancel();
    retry = clock.schedule(connect, backoff.delayNanos(failures, random), TimeUnit.NANOSECONDS);
  }

  /** Stops the pending retry, if it has not started. */
  void cancel() {
    if (retry != null) {
      retry.cancel();
      retry = null;
    }
  }
}
