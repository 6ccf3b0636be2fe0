package io.frpc.internal;

import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Lines a peer can provoke at will (refused connections, handshakes that never came, dropped sends, broken
 * connections) at most once per interval, each telling how many similar lines were held back since the
 * last; the held-back ones go to DEBUG. {@link #summarize()} reports what is still held back, so the last
 * burst is not hidden until the next line. One per node and kind, so a flood costs one line a minute. The
 * interval is measured on the node's {@link FrpcClock}.
 */
public final class RateLimitedLog {

  private final Logger log;
  private final Level level;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicReference<String> latestSuppressed = new AtomicReference<>();

  /** Lines at WARN. */
  public RateLimitedLog(Logger log, Duration interval, FrpcClock clock) {
    this(log, Level.WARN, interval, clock);
  }

  public RateLimitedLog(Logger log, Level level, Duration interval, FrpcClock clock) {
    this(log, level, interval.toNanos(), clock::nanoTime);
  }

  /**
   * Measured on the system's monotonic clock.
   *
   * @deprecated only until the Redis discovery passes its {@code DiscoveryContext.clock()}; use
   *     {@link #RateLimitedLog(Logger, Level, Duration, FrpcClock)}
   */
  @Deprecated(forRemoval = true)
  public RateLimitedLog(Logger log, Level level, long interval, TimeUnit unit) {
    this(log, level, unit.toNanos(interval), System::nanoTime);
  }

  private RateLimitedLog(Logger log, Level level, long intervalNanos, LongSupplier nanoTime) {
    this.log = log;
    this.level = level;
    this.intervalNanos = intervalNanos;
    this.nanoTime = nanoTime;
  }

  /** Logs {@code message} at this log's level (WARN unless given) unless a line was logged within the interval. */
  public void log(String message) {
    long now = nanoTime.getAsLong();
    long next = nextNanos.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextNanos.compareAndSet(next, now + intervalNanos)) {
      long held = suppressed.getAndSet(0);
      latestSuppressed.set(null);
      log.atLevel(level).log(held == 0 ? message : message + " (" + held + " similar line(s) held back since the last)");
    } else {
      suppressed.incrementAndGet();
      latestSuppressed.set(message);
      log.debug(message);
    }
  }

  /** Logs how many lines were held back since the last one, with the latest of them; nothing when none were. */
  public void summarize() {
    long held = suppressed.getAndSet(0);
    String latest = latestSuppressed.getAndSet(null);
    if (held > 0) {
      log.atLevel(level).log(held + " similar line(s) held back since the last; the latest: " + latest);
    }
  }
}
