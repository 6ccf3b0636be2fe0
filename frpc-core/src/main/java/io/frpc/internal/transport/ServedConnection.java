package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One admitted connection this node serves, as the services above the transport see it: requests come in
 * on it, and their replies and the publications of subscribed channels go out on it.
 */
public interface ServedConnection {

  /** The node at the other end. */
  NodeId peer();

  /** {@link #peer()} as {@code name:id}, made once per connection rather than once per request. */
  String peerText();

  /** Allocator for frames written to it. */
  ByteBufAllocator alloc();

  /** Largest message both sides accept. */
  int maxMessageSize();

  /** Bytes waiting to be written to the peer (callable from any thread). */
  long queuedBytes();

  /** Writes and flushes a complete frame, taking ownership of it (callable from any thread). */
  void write(ByteBuf frame);

  /** Runs {@code task} on the connection's I/O thread. */
  void execute(Runnable task);

  /**
   * Registers a request whose caller waits for its reply: {@code onCancel} runs (once, on the I/O thread) when
   * the caller cancels it (CANCEL) or the connection closes, unless {@link #untrack} came first. When the
   * connection has already closed it runs at once.
   */
  void track(int requestId, Runnable onCancel);

  /** The request was answered: its cancellation no longer matters. */
  void untrack(int requestId, Runnable onCancel);
}
