package io.frpc.internal.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory a node lets its peers fill with large (fragmented) inbound messages, across all its connections. A
 * connection reserves bytes as fragments arrive; they are given back when the message's memory is freed (once it is
 * decoded or dropped and every {@code FrpcBytes} view of it closed, or when the connection closes mid-message). A peer
 * that would exceed the budget is disconnected.
 */
public final class InboundBudget {

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** @param limit bytes all unfinished inbound messages of the node may hold together */
  public InboundBudget(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("inbound budget must be positive but was " + limit);
    }
    this.limit = limit;
  }

  /** Reserves {@code bytes}; false, reserving nothing, when that would exceed the limit. */
  boolean tryReserve(long bytes) {
    long current;
    do {
      current = used.get();
      if (current + bytes > limit) {
        return false;
      }
    } while (!used.compareAndSet(current, current + bytes));
    return true;
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }
}
