package io.frpc.time;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The system's time with a hashed-wheel timer (10 ms ticks) on one daemon thread. Whoever creates it owns
 * it and closes it; a node creates its own unless given one to share.
 */
public final class SystemClock implements FrpcClock, AutoCloseable {

  private final HashedWheelTimer timer;

  /** @param label names the timer thread ({@code frpc-timer-<label>}) */
  public SystemClock(String label) {
    this.timer = new HashedWheelTimer(new DefaultThreadFactory("frpc-timer-" + label, true), 10,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public ScheduledTask schedule(Runnable task, long delay, TimeUnit unit) {
    WheelTask scheduled = new WheelTask(task);
    scheduled.timeout = timer.newTimeout(scheduled, delay, unit);
    return scheduled;
  }

  /** Stops the timer thread; tasks not yet run are dropped. */
  @Override
  public void close() {
    timer.stop();
  }

  /** One object per task, both what the wheel runs and the caller's handle: a call's deadline allocates no more. */
  private static final class WheelTask implements TimerTask, ScheduledTask {

    private final Runnable task;
    private volatile Timeout timeout;

    WheelTask(Runnable task) {
      this.task = task;
    }

    @Override
    public void run(Timeout ignored) {
      task.run();
    }

    @Override
    public boolean cancel() {
      Timeout scheduled = timeout;
      return scheduled != null && scheduled.cancel();
    }
  }
}
