package io.frpc.discovery.redis;

import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One thread's tasks, with timers set on the node's clock: a timer only hands its task to the thread (the clock's
 * timer thread must not read Redis), so everything this runs stays confined to that thread. With a
 * {@link io.frpc.time.ManualClock} and a direct executor, a test runs the timers by moving the clock. After
 * {@link #close()} nothing more is run and pending timers are cancelled.
 */
final class ClockedExecutor {

  private final FrpcClock clock;
  private final Executor thread;
  private final Set<Timer> timers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ClockedExecutor(FrpcClock clock, Executor thread) {
    this.clock = clock;
    this.thread = thread;
  }

  FrpcClock clock() {
    return clock;
  }

  /** Runs {@code task} on the thread, unless closed. */
  void execute(Runnable task) {
    if (closed) {
      return;
    }
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      // the thread is shutting down: so is its owner
    }
  }

  /** Runs {@code task} on the thread once {@code delay} has passed on the clock. */
  void schedule(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    Timer timer = new Timer(task);
    timers.add(timer);
    try {
      timer.handle = clock.schedule(timer, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IllegalStateException e) {
      // the clock's timer was stopped: its owner, and with it this thread's, is closing
      timers.remove(timer);
    }
  }

  /** Runs {@code task} every {@code delay} (measured from the end of a run to the start of the next). */
  void scheduleWithFixedDelay(Runnable task, Duration delay) {
    schedule(() -> {
      try {
        task.run();
      } finally {
        scheduleWithFixedDelay(task, delay);
      }
    }, delay);
  }

  /** Cancels the timers; tasks already handed to the thread may still run. */
  void close() {
    closed = true;
    for (Timer timer : timers) {
      FrpcClock.ScheduledTask handle = timer.handle;
      if (handle != null) {
        handle.cancel();
      }
    }
    timers.clear();
  }

  private final class Timer implements Runnable {

    private final Runnable task;
    private volatile FrpcClock.ScheduledTask handle;

    Timer(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      timers.remove(this);
      execute(task);
    }
  }
}
