package io.frpc.internal.pubsub;

import io.frpc.NodeId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** The publisher's view of one admitted connection that may carry subscriptions. */
public interface SubscriberLink {

  /** The subscribing node. */
  NodeId peer();

  /** Allocator for frames written to it. */
  ByteBufAllocator alloc();

  /** Largest message the peer accepts. */
  int maxMessageSize();

  /** Bytes waiting to be written to the peer (callable from any thread). */
  long queuedBytes();

  /** Writes and flushes a frame, taking ownership of it. */
  void write(ByteBuf frame);

  /** Runs {@code task} on the connection's I/O thread. */
  void execute(Runnable task);
}
