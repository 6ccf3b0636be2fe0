package io.frpc.internal.module;

import io.frpc.NodeId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Where a request's reply goes: the connection the request came from. */
public interface ReplyTarget {

  /** The calling node. */
  NodeId peer();

  /** Allocator for reply frames. */
  ByteBufAllocator alloc();

  /** Largest reply message both sides accept. */
  int maxMessageSize();

  /** Writes and flushes a complete frame; takes ownership of it. */
  void write(ByteBuf frame);
}
