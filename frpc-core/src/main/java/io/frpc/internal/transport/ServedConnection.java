package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.frpc.RemoteErrorCode;
import io.frpc.internal.protocol.BroadcastItem;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.internal.protocol.RemoteError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.Executor;
import tools.jackson.databind.ObjectWriter;

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
   * The I/O thread its requests are dispatched on, which runs {@link #execute} tasks once it has handled what it read
   * (the workers a read's requests need may then be woken together); null when they are dispatched elsewhere.
   */
  default Executor ioThread() {
    return null;
  }

  /**
   * Registers a request whose caller waits for its reply: {@code onCancel} runs (once, on the I/O thread) when
   * the caller cancels it (CANCEL) or the connection closes, unless {@link #untrack} came first. When the
   * connection has already closed it runs at once.
   */
  void track(int requestId, Runnable onCancel);

  /** The request was answered: its cancellation no longer matters. */
  void untrack(int requestId, Runnable onCancel);

  /**
   * Answers call {@code requestId} with {@code result}, written by {@code writer}: an OK frame on an frpc
   * connection.
   *
   * @throws IllegalArgumentException when the result cannot be encoded or is larger than the peer accepts; nothing
   *                                  was sent, and the caller answers with an error instead
   */
  default void replyOk(int requestId, PayloadCodec codec, ObjectWriter writer, Object result) {
    ByteBuf frame;
    try {
      frame = Frames.ok(alloc(), requestId, codec, writer, result);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot be encoded: " + e, e);
    }
    int size = Frames.messageSize(frame);
    if (size > maxMessageSize()) {
      frame.release();
      throw new IllegalArgumentException("is " + size + " bytes, more than the maximum message size of "
          + maxMessageSize());
    }
    write(frame);
  }

  /** Answers call {@code requestId} with {@code error}. */
  default void replyError(int requestId, PayloadCodec codec, RemoteError error) {
    write(Frames.error(alloc(), requestId, codec, error));
  }

  /** Answers broadcast call {@code requestId} with every instance's part, in instance order. */
  default void replyBroadcast(int requestId, PayloadCodec codec, List<BroadcastItem> items) {
    ByteBuf frame = Frames.broadcast(alloc(), requestId, items);
    if (Frames.messageSize(frame) > maxMessageSize()) {
      int size = Frames.messageSize(frame);
      frame.release();
      frame = Frames.error(alloc(), requestId, codec, RemoteError.of(RemoteErrorCode.BAD_RESULT, null,
          "broadcast reply is " + size + " bytes, more than the maximum message size of " + maxMessageSize(), null));
    }
    write(frame);
  }

  /**
   * Sends a publication on {@code channel} to {@code count} of this connection's subscriptions ({@code ids}), each
   * with the messages it lost before this one ({@code dropped}).
   */
  default void publishMessage(int[] ids, int[] dropped, int count, String channel, byte[] payload) {
    write(PubSubFrames.message(alloc(), ids, dropped, count, channel, payload));
  }

  /** Sends version {@code version} of state channel {@code channel} to {@code count} of its state watchers. */
  default void publishState(int[] ids, int count, String channel, long version, byte[] value) {
    write(PubSubFrames.state(alloc(), ids, count, channel, version, value));
  }

  /** Refuses subscription {@code id}. */
  default void rejectSubscription(int id, String reason) {
    write(PubSubFrames.reject(alloc(), id, reason));
  }
}
