package io.frpc.internal.protocol;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The chunks a fragmented message is reassembled into, holding their share of the node's {@link InboundBudget}
 * until the memory itself is freed: every slice of it — a payload, a {@code FrpcBytes} view a command or a caller
 * keeps — holds the budget, so what the budget counts is what is retained, however the message is shared.
 */
final class ChargedMessage extends CompositeByteBuf {

  private final InboundBudget budget;
  /** Written on the I/O thread while reassembling; read by whichever thread frees the memory last. */
  private volatile long charged;

  ChargedMessage(ByteBufAllocator alloc, InboundBudget budget) {
    // never consolidated: that would copy what was received so far
    super(alloc, true, Integer.MAX_VALUE);
    this.budget = budget;
  }

  /** Reserves {@code bytes} for a chunk about to be added; false, reserving nothing, beyond the budget. */
  boolean tryCharge(long bytes) {
    if (!budget.tryReserve(bytes)) {
      return false;
    }
    charged += bytes;
    return true;
  }

  @Override
  protected void deallocate() {
    super.deallocate();
    budget.release(charged);
  }
}
