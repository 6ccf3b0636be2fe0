package io.frpc.internal.transport;

import io.frpc.time.FrpcClock;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many connections each remote address may open: a token bucket per address refilling at the rate per
 * second, holding one second's worth. A bucket is kept as the time at which it is full again, one number per
 * address (the generic cell rate algorithm), so an admission is one compare-and-set.
 *
 * <p>An address whose bucket is full needs no entry: entries whose time has passed are swept once more than
 * {@link #MAX_TRACKED} addresses have one, at most once a second. Addresses beyond that many, all seen within
 * the last second, are not limited until a sweep frees room for them; the handshake slots still bound what
 * their connections hold.
 */
final class HandshakeRate {

  /** Addresses tracked at most: a peer with many addresses cannot grow the map beyond this. */
  static final int MAX_TRACKED = 16_384;

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final long intervalNanos;
  private final FrpcClock clock;
  private final Map<InetAddress, AtomicLong> fullAt = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep;

  /**
   * @param perSecond connections a second, and the burst
   * @param clock     the node's clock
   */
  HandshakeRate(int perSecond, FrpcClock clock) {
    this.intervalNanos = SECOND / perSecond;
    this.clock = clock;
    this.nextSweep = new AtomicLong(clock.nanoTime());
  }

  /** Takes a token of {@code address}'s bucket; false when it is empty. */
  boolean tryAcquire(InetAddress address) {
    long now = clock.nanoTime();
    AtomicLong bucket = fullAt.get(address);
    if (bucket == null) {
      if (fullAt.size() >= MAX_TRACKED && !sweep(now)) {
        return true;
      }
      bucket = fullAt.computeIfAbsent(address, key -> new AtomicLong(now));
    }
    while (true) {
      long full = bucket.get();
      long taken = Math.max(full, now) + intervalNanos;
      if (taken - now > SECOND) {
        return false;
      }
      if (bucket.compareAndSet(full, taken)) {
        return true;
      }
    }
  }

  /** Addresses with an entry. */
  int tracked() {
    return fullAt.size();
  }

  /** Drops the entries of full buckets, unless a sweep ran within the last second; whether room is left. */
  private boolean sweep(long now) {
    long next = nextSweep.get();
    if (now - next >= 0 && nextSweep.compareAndSet(next, now + SECOND)) {
      // an admission racing with the removal of its entry may be forgotten: one token at most
      fullAt.values().removeIf(bucket -> bucket.get() - now <= 0);
    }
    return fullAt.size() < MAX_TRACKED;
  }
}
