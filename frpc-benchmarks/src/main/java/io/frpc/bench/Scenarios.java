package io.frpc.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** The load patterns: each warms up, then measures for a fixed time, recording every call's latency. */
final class Scenarios {

  private Scenarios() {
  }

  /** One call outstanding at a time. */
  static Result pingPong(String system, String name, int rep, Runnable call, Duration warmup, Duration measure) {
    runFor(warmup, call);
    Histogram latencies = new Histogram(3);
    long start = System.nanoTime();
    long end = start + measure.toNanos();
    long calls = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      call.run();
      latencies.recordValue(System.nanoTime() - t0);
      calls++;
    }
    return Result.of(system, name, rep, calls, System.nanoTime() - start, latencies);
  }

  /** {@code inFlight} calls outstanding at all times; each completion issues the next call. */
  static Result throughput(String system, String name, int rep, Supplier<CompletableFuture<?>> call, int inFlight,
      Duration warmup, Duration measure) {
    Lanes lanes = new Lanes(call, inFlight);
    lanes.start();
    sleep(warmup);
    lanes.resetCounts();
    lanes.recording(true);
    long start = System.nanoTime();
    sleep(measure);
    long nanos = System.nanoTime() - start;
    Histogram latencies = lanes.stop();
    return Result.of(system, name, rep, lanes.completed(), nanos, latencies);
  }

  /**
   * Small calls at {@code inFlight} outstanding while large calls run back to back; only small calls
   * completed while a large one is in flight are counted.
   */
  static Result underLargeMessage(String system, String name, int rep, Supplier<CompletableFuture<?>> small,
      Supplier<CompletableFuture<?>> large, int inFlight, Duration warmup, Duration measure) {
    Lanes lanes = new Lanes(small, inFlight);
    lanes.start();
    large.get().join();
    sleep(warmup);
    lanes.resetCounts();
    long inLargeNanos = 0;
    long end = System.nanoTime() + measure.toNanos();
    do {
      lanes.recording(true);
      long t0 = System.nanoTime();
      large.get().join();
      inLargeNanos += System.nanoTime() - t0;
      lanes.recording(false);
    } while (System.nanoTime() < end);
    Histogram latencies = lanes.stop();
    return Result.of(system, name, rep, lanes.completed(), inLargeNanos, latencies);
  }

  /** The seed's benchmark: batches of {@code concurrency} calls issued at once, each to key i. */
  static Result burst(String system, String name, int rep, BurstCall call, int concurrency, Duration warmup,
      Duration measure) {
    runFor(warmup, () -> burstOnce(call, concurrency, null));
    Histogram latencies = new Histogram(3);
    long start = System.nanoTime();
    long end = start + measure.toNanos();
    long calls = 0;
    while (System.nanoTime() < end) {
      burstOnce(call, concurrency, latencies);
      calls += concurrency;
    }
    return Result.of(system, name, rep, calls, System.nanoTime() - start, latencies);
  }

  /** A call of the burst scenario, addressed by key. */
  @FunctionalInterface
  interface BurstCall {
    CompletableFuture<?> call(long key);
  }

  private static void burstOnce(BurstCall call, int concurrency, Histogram latencies) {
    long t0 = System.nanoTime();
    List<CompletableFuture<?>> calls = new ArrayList<>(concurrency);
    for (int i = 0; i < concurrency; i++) {
      calls.add(call.call(i).whenComplete((ok, error) -> {
        if (latencies != null) {
          synchronized (latencies) {
            latencies.recordValue(System.nanoTime() - t0);
          }
        }
      }));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
  }

  private static void runFor(Duration duration, Runnable action) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      action.run();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Keeps a fixed number of calls outstanding; each completion issues the next call. */
  private static final class Lanes {
    private final Supplier<CompletableFuture<?>> call;
    private final int count;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder completed = new LongAdder();
    private final CountDownLatch stopped;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean recording;
    private volatile boolean stopping;

    Lanes(Supplier<CompletableFuture<?>> call, int count) {
      this.call = call;
      this.count = count;
      this.stopped = new CountDownLatch(count);
    }

    void start() {
      for (int i = 0; i < count; i++) {
        issue();
      }
    }

    void resetCounts() {
      recorder.reset();
      completed.reset();
    }

    void recording(boolean on) {
      recording = on;
    }

    long completed() {
      return completed.sum();
    }

    Histogram stop() {
      recording = false;
      Histogram latencies = recorder.getIntervalHistogram();
      stopping = true;
      try {
        if (!stopped.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("calls still outstanding 120 s after the measurement ended");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a call failed during the measurement", failure.get());
      }
      return latencies;
    }

    private void issue() {
      long t0 = System.nanoTime();
      call.get().whenComplete((ok, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else if (recording) {
          recorder.recordValue(System.nanoTime() - t0);
          completed.increment();
        }
        if (stopping || error != null) {
          stopped.countDown();
        } else {
          issue();
        }
      });
    }
  }
}
