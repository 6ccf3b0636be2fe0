package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Where the frames of large messages are encoded: into Netty's pooled allocator, whose arenas keep the chunks they
 * carved buffers from. The channels' own allocator (Netty's adaptive one) keeps at most two free chunks per processor
 * for buffers above 16 KiB and frees the others: a connection with many large calls encoded and waiting for the
 * window took and freed chunks continuously, each one zeroed by the JVM when taken, on the I/O thread. Small frames,
 * most of a node's, stay with the channel's allocator, which serves them faster; so do frames larger than the pool's
 * chunks, which it would allocate and free one by one as well, and the chunks large messages are reassembled into
 * (the pool frees a chunk once it is empty: a 64 MiB message took and freed sixteen, delaying the small calls behind
 * it).
 */
final class MessageBuffers {

  /** A frame of at least this many bytes is a large message's. */
  static final int LARGE_BYTES = 16 * 1024;
  /** The pool keeps buffers up to its chunk size. */
  private static final int POOLED_MAX_BYTES = PooledByteBufAllocator.DEFAULT.metric().chunkSize();

  private MessageBuffers() {
  }

  /** A buffer for a frame of about {@code initialCapacity} bytes, from the pool when it is large. */
  static ByteBuf buffer(ByteBufAllocator channel, int initialCapacity) {
    boolean pooled = initialCapacity >= LARGE_BYTES && initialCapacity <= POOLED_MAX_BYTES;
    return (pooled ? PooledByteBufAllocator.DEFAULT : channel).buffer(initialCapacity);
  }
}
