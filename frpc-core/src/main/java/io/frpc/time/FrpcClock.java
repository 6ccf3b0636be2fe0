package io.frpc.time;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The time source and one-shot timer of a node and of everything it runs (discovery, deadlines, retries,
 * rate-limited logs); a connection's own timers (handshake timeout, heartbeats) run on its event loop instead.
 * {@link SystemClock} in production; {@link ManualClock} in tests, where time moves only when the test moves it.
 * Implementations are thread-safe.
 */
public interface FrpcClock {

  /** Monotonic time in nanoseconds, for durations and deadlines only (as {@link System#nanoTime()}). */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch (as {@link System#currentTimeMillis()}). */
  long currentTimeMillis();

  /** Wall-clock time as an instant. */
  default Instant instant() {
    return Instant.ofEpochMilli(currentTimeMillis());
  }

  /**
   * Runs {@code task} once, {@code delay} from now, on the clock's timer thread (on the thread that advances a
   * {@link ManualClock}). The task must be short: hand longer work to an executor.
   */
  ScheduledTask schedule(Runnable task, long delay, TimeUnit unit);

  /** A task set with {@link #schedule}. */
  interface ScheduledTask {

    /** Stops the task if it has not started; returns whether it was stopped by this call. */
    boolean cancel();
  }
}
