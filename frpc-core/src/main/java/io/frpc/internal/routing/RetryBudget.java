package io.frpc.internal.routing;

import io.frpc.time.FrpcClock;
import java.util.concurrent.TimeUnit;

/**
 * How many retries and hedges the calls of one node may add, so that a failing cluster is not hit several
 * times as hard: every call adds {@code ratio} of an attempt to the budget, the budget also fills by
 * {@code minPerSecond} every second (so that a node making few calls can still fail over), and it holds at most
 * {@code 10 × minPerSecond} (at least 10) attempts; each retry or hedge takes one. Over any period of
 * {@code T} seconds with {@code N} calls, the extra attempts are thus at most
 * {@code cap + ratio × N + minPerSecond × T}. Calls are counted without a lock or an atomic operation: an increment
 * lost to a race only makes the budget a little smaller. Only a retry takes the lock.
 */
final class RetryBudget {

  /** Racy by design (see above): a plain field, written by every calling thread. */
  private long calls;
  private final double ratio;
  private final double minPerSecond;
  private final double cap;
  private final FrpcClock clock;
  /** Guarded by this. */
  private long callsCounted;
  private long refilledAt;
  private double balance;
  private long denied;

  RetryBudget(double ratio, int minPerSecond, FrpcClock clock) {
    this.ratio = ratio;
    this.minPerSecond = minPerSecond;
    this.cap = Math.max(10, 10.0 * minPerSecond);
    this.clock = clock;
    this.refilledAt = clock.nanoTime();
    this.balance = cap;
  }

  /** A call starts: it adds its share to the budget. */
  void called() {
    calls++;
  }

  /** Takes one extra attempt from the budget; false, taking nothing, when it is spent. */
  synchronized boolean tryRetry() {
    long now = clock.nanoTime();
    long total = calls;
    double refill = ratio * (total - callsCounted)
        + minPerSecond * (now - refilledAt) / (double) TimeUnit.SECONDS.toNanos(1);
    callsCounted = total;
    refilledAt = now;
    balance = Math.min(cap, balance + refill);
    if (balance >= 1) {
      balance -= 1;
      return true;
    }
    denied++;
    return false;
  }

  /** Retries refused because the budget was spent, since the node started. */
  synchronized long denied() {
    return denied;
  }
}
