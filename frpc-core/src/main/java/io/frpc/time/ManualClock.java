package io.frpc.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A clock for tests: time stands still until {@link #advance} moves it, and scheduled tasks run on the
 * advancing thread, in the order of their due times, as the clock passes them. Deterministic and fast: a
 * test of a 30-second expiry takes microseconds.
 */
public final class ManualClock implements FrpcClock {

  private final PriorityQueue<Task> due = new PriorityQueue<>();
  private long nanos;
  private long epochMillisAtZero;
  private long sequence;

  /** A clock at monotonic zero whose wall clock reads 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A clock at monotonic zero whose wall clock reads {@code wallClock}. */
  public ManualClock(Instant wallClock) {
    this.epochMillisAtZero = wallClock.toEpochMilli();
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return epochMillisAtZero + TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Override
  public synchronized ScheduledTask schedule(Runnable task, long delay, TimeUnit unit) {
    Task scheduled = new Task(nanos + Math.max(0, unit.toNanos(delay)), sequence++, task);
    due.add(scheduled);
    return () -> {
      synchronized (this) {
        return due.remove(scheduled);
      }
    };
  }

  /**
   * Moves time forward by {@code step}, running every task that falls due on the way at its due time
   * (a task may schedule more; those run too when due within the step).
   */
  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + step);
    }
    long target;
    synchronized (this) {
      target = nanos + step.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = due.peek();
        if (next == null || next.dueNanos > target) {
          nanos = target;
          return;
        }
        due.poll();
        nanos = Math.max(nanos, next.dueNanos);
      }
      next.task.run();
    }
  }

  /** Runs the tasks due now without moving time. */
  public void runDueTasks() {
    advance(Duration.ZERO);
  }

  /** Moves the wall clock alone (as an NTP step would), leaving monotonic time and timers where they are. */
  public synchronized void setWallClock(Instant wallClock) {
    epochMillisAtZero = wallClock.toEpochMilli() - TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** How many tasks wait for their time. */
  public synchronized int pendingTasks() {
    return due.size();
  }

  /** The delays, from now, of the tasks that wait, soonest first. */
  public synchronized List<Duration> pendingDelays() {
    List<Task> sorted = new ArrayList<>(due);
    sorted.sort(null);
    List<Duration> delays = new ArrayList<>(sorted.size());
    for (Task task : sorted) {
      delays.add(Duration.ofNanos(task.dueNanos - nanos));
    }
    return delays;
  }

  private record Task(long dueNanos, long sequence, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task other) {
      int byTime = Long.compare(dueNanos, other.dueNanos);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
