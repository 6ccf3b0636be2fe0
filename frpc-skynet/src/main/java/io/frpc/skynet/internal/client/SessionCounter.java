package io.frpc.skynet.internal.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The sessions of one client, shared by all its connections as skynet_fly's {@code frpc_client_m} shares one
 * counter: unsigned 32-bit, never 0 (skynet_fly refuses it), counting up from 1 and wrapping from 2^32-1 to 1.
 * Thread-safe.
 */
public final class SessionCounter {

  static final long MAX_SESSION = 0xFFFFFFFFL;

  private final AtomicLong last;

  /** A counter whose first session is 1. */
  public SessionCounter() {
    this(0);
  }

  /** A counter whose next session follows {@code last} (tests start it near the wrap). */
  SessionCounter(long last) {
    this.last = new AtomicLong(last);
  }

  /** The next session, 1 to 2^32-1. */
  public long next() {
    return last.updateAndGet(session -> session >= MAX_SESSION ? 1 : session + 1);
  }
}
