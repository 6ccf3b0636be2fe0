package io.frpc.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * WARN lines a peer can provoke at will (refused connections, handshakes that never came, dropped sends)
 * at most once per interval, each telling how many similar lines were held back since the last; the
 * held-back ones go to DEBUG. One per node and kind, so a flood costs one log line a minute.
 */
public final class RateLimitedLog {

  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, long interval, TimeUnit unit) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
  }

  /** Logs {@code message} at WARN unless a line was logged within the interval. */
  public void warn(String message) {
    long now = System.nanoTime();
    long next = nextNanos.get();
    if ((next == Long.MIN_VALUE || now - next >= 0) && nextNanos.compareAndSet(next, now + intervalNanos)) {
      long held = suppressed.getAndSet(0);
      log.warn(held == 0 ? message : message + " (" + held + " similar line(s) held back since the last)");
    } else {
      suppressed.incrementAndGet();
      log.debug(message);
    }
  }
}
