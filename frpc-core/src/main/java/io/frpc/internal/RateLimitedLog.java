package io.frpc.internal;

import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
  private final FrpcClock clock;
  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicReference<String> latestSuppressed = new AtomicReference<>();

  /** Lines at WARN. */
  public RateLimitedLog(Logger log, Duration interval, FrpcClock clock) {
    this(log, Level.WARN, interval, clock);
  }

  public RateLimitedLog(Logger log, Level level, Duration interval, FrpcClock clock) {
    this.log = log;
    this.level = level;
    this.intervalNanos = interval.toNanos();
    this.clock = clock;
  }

  /** Logs {@code message} at this log's level (WARN unless given) unless a line was logged within the interval. */
  public void log(String message) {
    long now = clock.nanoTime();
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
