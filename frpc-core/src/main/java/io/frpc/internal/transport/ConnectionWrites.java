package io.frpc.internal.transport;

import io.frpc.internal.protocol.FragmentingWriter;
import io.frpc.internal.protocol.LimitExceededException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames written to one connection, handed to its I/O thread in batches when other threads write them (workers
 * answering calls, callers and callback threads making them, the publisher): the first frame queued schedules one
 * task of the I/O thread, which writes everything queued by then, in order, and flushes once. Netty's own hand-off
 * costs a task and a flush per frame. A frame written on the I/O thread goes out at once, after those queued before
 * it, so the frames of each thread keep their order. Queued frames count as waiting to be written.
 */
final class ConnectionWrites implements Runnable {

  private final Channel channel;
  private final FragmentingWriter writer;
  /** Frames, and {@link Listened} frames, in the order written. */
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong queuedBytes = new AtomicLong();

  ConnectionWrites(Channel channel) {
    this.channel = channel;
    // null on a channel without frpc's pipeline (as in tests of the connections): nothing limits it
    this.writer = channel.pipeline().get(FragmentingWriter.class);
  }

  /**
   * Writes and flushes {@code frame}, taking ownership of it; callable from any thread.
   *
   * @param listener told whether the frame was written, on the I/O thread; null for a frame whose failure closes the
   *                 connection
   */
  void writeAndFlush(ByteBuf frame, ChannelFutureListener listener) {
    if (channel.eventLoop().inEventLoop()) {
      writeQueued();
      channel.writeAndFlush(frame, promise(listener));
      return;
    }
    int bytes = frame.readableBytes();
    // checked here, not only once handed to the channel: what other threads queue faster than the I/O thread takes
    // it is held as well
    long waiting = queuedBytes.addAndGet(bytes);
    LimitExceededException refused = writer == null ? null : writer.refusal(channel, waiting);
    if (refused != null) {
      queuedBytes.addAndGet(-bytes);
      frame.release();
      fail(listener, refused);
      return;
    }
    queue.add(listener == null ? frame : new Listened(frame, listener));
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(this);
      } catch (RejectedExecutionException e) {
        // the I/O thread has shut down, its channel with it: a frame queued after these fails the same way
        scheduled.set(false);
        failQueued(e);
      }
    }
  }

  /** Tells {@code listener} of {@code refused} and fails the connection with it, on the I/O thread. */
  private void fail(ChannelFutureListener listener, LimitExceededException refused) {
    try {
      channel.eventLoop().execute(() -> {
        if (listener != null) {
          try {
            listener.operationComplete(channel.newFailedFuture(refused));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        channel.pipeline().fireExceptionCaught(refused);
      });
    } catch (RejectedExecutionException e) {
      // the I/O thread has shut down, its channel with it
    }
  }

  /** Bytes of the frames queued and not yet handed to the channel; callable from any thread. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  /** Writes the frames queued so far and flushes them; on the I/O thread. */
  @Override
  public void run() {
    // cleared first: a frame queued from here on schedules another task, which may then find nothing left
    scheduled.set(false);
    if (writeQueued()) {
      channel.flush();
    }
  }

  private boolean writeQueued() {
    boolean wrote = false;
    Object next;
    while ((next = queue.poll()) != null) {
      ByteBuf frame = next instanceof Listened listened ? listened.frame : (ByteBuf) next;
      queuedBytes.addAndGet(-frame.readableBytes());
      channel.write(frame, promise(next instanceof Listened listened ? listened.listener : null));
      wrote = true;
    }
    return wrote;
  }

  private void failQueued(RejectedExecutionException refusal) {
    Object next;
    while ((next = queue.poll()) != null) {
      ByteBuf frame = next instanceof Listened listened ? listened.frame : (ByteBuf) next;
      queuedBytes.addAndGet(-frame.readableBytes());
      frame.release();
      if (next instanceof Listened listened) {
        // told here: the I/O thread that would tell it has shut down
        try {
          listened.listener.operationComplete(channel.newFailedFuture(refusal));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private ChannelPromise promise(ChannelFutureListener listener) {
    return listener == null ? channel.voidPromise() : channel.newPromise().addListener(listener);
  }

  private record Listened(ByteBuf frame, ChannelFutureListener listener) {
  }
}
