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
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load patterns. Each warms up once, then measures {@code reps} windows back to back under the same
 * load, recording every call's latency.
 */
final class Scenarios {

  private Scenarios() {
  }

  /**
   * {@code inFlight} calls outstanding at all times (1: ping-pong); each completion issues the next call on
   * the thread the system completed it on, so no caller thread's wake-up is measured. The warm-up lasts
   * {@code warmup} and at least {@code warmupCalls} calls; the median of its last second is reported with
   * each window.
   */
  static List<Result> continuous(Window window, String system, String name, Supplier<CompletableFuture<?>> call,
      int inFlight, long warmupCalls, Duration warmup, Duration measure, int reps) {
    Lanes lanes = new Lanes(call, inFlight);
    lanes.start();
    Duration lastSecond = Duration.ofSeconds(1);
    sleep(warmup.minus(lastSecond));
    while (lanes.completed() < warmupCalls) {
      sleep(Duration.ofMillis(100));
    }
    lanes.interval();
    sleep(lastSecond);
    Histogram warm = lanes.interval();
    List<Result> results = new ArrayList<>();
    for (int rep = 1; rep <= reps; rep++) {
      window.started(name, rep);
      long start = System.nanoTime();
      sleep(measure);
      Histogram latencies = lanes.interval();
      long nanos = System.nanoTime() - start;
      window.ended(name, rep);
      results.add(Result.of(system, name, rep, latencies.getTotalCount(), nanos, latencies, warm));
    }
    lanes.stop();
    return results;
  }

  /** One call outstanding, the caller's thread blocking until the reply: what a synchronous caller pays. */
  static List<Result> blocking(Window window, String system, String name, Runnable call, Duration warmup,
      Duration measure, int reps) {
    return rounds(window, system, name, warmup, measure, reps, latencies -> {
      long t0 = System.nanoTime();
      call.run();
      if (latencies != null) {
        latencies.recordValue(System.nanoTime() - t0);
      }
      return 1;
    });
  }

  /**
   * Small calls at {@code inFlight} outstanding while large calls run back to back; only small calls
   * completed while a large one is in flight are counted.
   */
  static List<Result> underLargeMessage(Window window, String system, String name, Supplier<CompletableFuture<?>> small,
      Supplier<CompletableFuture<?>> large, int inFlight, Duration warmup, Duration measure, int reps) {
    Lanes lanes = new Lanes(small, inFlight);
    lanes.start();
    large.get().join();
    sleep(warmup);
    List<Result> results = new ArrayList<>();
    for (int rep = 1; rep <= reps; rep++) {
      lanes.recording(false);
      lanes.interval();
      window.started(name, rep);
      long inLargeNanos = 0;
      long end = System.nanoTime() + measure.toNanos();
      do {
        lanes.recording(true);
        long t0 = System.nanoTime();
        large.get().join();
        inLargeNanos += System.nanoTime() - t0;
        lanes.recording(false);
      } while (System.nanoTime() < end);
      Histogram latencies = lanes.interval();
      window.ended(name, rep);
      results.add(Result.of(system, name, rep, latencies.getTotalCount(), inLargeNanos, latencies, null));
    }
    lanes.stop();
    return results;
  }

  /** The seed's benchmark: batches of {@code concurrency} calls issued at once, each to key i. */
  static List<Result> burst(Window window, String system, String name, BurstCall call, int concurrency,
      Duration warmup, Duration measure, int reps) {
    return rounds(window, system, name, warmup, measure, reps, latencies -> {
      burstOnce(call, concurrency, latencies);
      return concurrency;
    });
  }

  /**
   * Runs {@code round} back to back for the warm-up (recording nothing), then for {@code reps} windows; a
   * round records its latencies into the histogram it is given (null while warming up) and returns how many
   * calls it made.
   */
  private static List<Result> rounds(Window window, String system, String name, Duration warmup, Duration measure, int reps,
      ToLongFunction<Histogram> round) {
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    while (System.nanoTime() < warmupEnd) {
      round.applyAsLong(null);
    }
    List<Result> results = new ArrayList<>();
    for (int rep = 1; rep <= reps; rep++) {
      Histogram latencies = new Histogram(3);
      window.started(name, rep);
      long start = System.nanoTime();
      long end = start + measure.toNanos();
      long calls = 0;
      while (System.nanoTime() < end) {
        calls += round.applyAsLong(latencies);
      }
      window.ended(name, rep);
      results.add(Result.of(system, name, rep, calls, System.nanoTime() - start, latencies, null));
    }
    return results;
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

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(Math.max(0, duration.toMillis()));
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
    private volatile boolean recording = true;
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

    void recording(boolean on) {
      recording = on;
    }

    /** Calls completed while recording. */
    long completed() {
      return completed.sum();
    }

    /** The latencies recorded since the last interval. */
    Histogram interval() {
      checkFailure();
      return recorder.getIntervalHistogram();
    }

    void stop() {
      stopping = true;
      try {
        if (!stopped.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("calls still outstanding 120 s after the measurement ended");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      checkFailure();
    }

    private void checkFailure() {
      if (failure.get() != null) {
        throw new IllegalStateException("a call failed during the measurement", failure.get());
      }
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
