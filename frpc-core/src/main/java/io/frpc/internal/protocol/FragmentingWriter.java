package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Splits frames whose message exceeds the fragment size into FRAGMENT frames and streams them only
 * while the channel is writable, so small frames written meanwhile overtake the large message instead of
 * queueing behind all of it. Large messages are streamed one at a time, in the order written. What waits
 * to be written besides one message of up to the maximum message size — the outbound buffer, write tasks
 * from other threads, the unwritten rest of large messages — is bounded: a write that would exceed the bound
 * closes the connection, since its peer is not reading.
 */
public final class FragmentingWriter extends ChannelDuplexHandler {

  private final int fragmentSize;
  private final long maxQueuedBytes;
  private final int maxMessageSize;
  private final ArrayDeque<LargeMessage> queue = new ArrayDeque<>();
  private LargeMessage current;
  /** Unwritten bytes of {@link #current} and {@link #queue}; written on the I/O thread, read by any. */
  private volatile long largeBytes;

  /**
   * @param fragmentSize   largest message written whole, and the size of each fragment
   * @param maxQueuedBytes bytes that may wait to be written on the connection besides one message
   * @param maxMessageSize largest message written
   */
  public FragmentingWriter(int fragmentSize, long maxQueuedBytes, int maxMessageSize) {
    if (fragmentSize < 1024 || fragmentSize > FrameDecoder.MAX_FRAME_LENGTH - 64) {
      throw new IllegalArgumentException("fragment size must be within 1024.."
          + (FrameDecoder.MAX_FRAME_LENGTH - 64) + " but was " + fragmentSize);
    }
    this.fragmentSize = fragmentSize;
    this.maxQueuedBytes = maxQueuedBytes;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf frame) {
      // One message may be as large as the maximum message size and small frames must still queue behind
      // (and overtake) it, so the limit is for what waits besides one such message. Where that message
      // is — still a write task from another thread, queued here, or being streamed — does not matter.
      long queued = queued(ctx.channel());
      if (queued + frame.readableBytes() > maxQueuedBytes + maxMessageSize) {
        frame.release();
        LimitExceededException refused = new LimitExceededException("the peer does not read: " + queued
            + " bytes are waiting to be written, the limit is " + maxQueuedBytes + " (frpc.max-queued-outbound-bytes) "
            + "besides one message of up to " + maxMessageSize + " (frpc.max-message-size)");
        if (!promise.isVoid()) {
          promise.tryFailure(refused);
        }
        ctx.fireExceptionCaught(refused);
        return;
      }
      if (Frames.messageSize(frame) > fragmentSize) {
        frame.skipBytes(4);
        queue.add(new LargeMessage(frame, promise));
        largeBytes += frame.readableBytes();
        writeFragments(ctx);
        return;
      }
    }
    ctx.write(msg, promise);
  }

  /**
   * Bytes waiting to be written on {@code channel}: its outbound buffer (writes submitted from other
   * threads included) and the unwritten rest of large messages. Callable from any thread.
   */
  public long queued(Channel channel) {
    ChannelOutboundBuffer buffered = channel.unsafe().outboundBuffer();
    return largeBytes + (buffered == null ? 0 : buffered.totalPendingWriteBytes());
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      writeFragments(ctx);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    largeBytes = 0;
    if (current != null) {
      current.abandon();
      current = null;
    }
    LargeMessage message;
    while ((message = queue.poll()) != null) {
      message.abandon();
    }
  }

  private void writeFragments(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (ctx.channel().isWritable()) {
      if (current == null) {
        current = queue.poll();
        if (current == null) {
          break;
        }
      }
      ByteBuf message = current.message;
      boolean first = current.total == message.readableBytes();
      int length = Math.min(fragmentSize, message.readableBytes());
      boolean last = length == message.readableBytes();
      ByteBuf header = ctx.alloc().buffer(10);
      header.writeInt(1 + 1 + (first ? 4 : 0) + length);
      header.writeByte(FrameType.FRAGMENT);
      header.writeByte(MessageDecoder.fragmentFlags(first, last));
      if (first) {
        header.writeInt(current.total);
      }
      // one buffer per frame: frame protection seals whole frames
      ByteBuf frame = ctx.alloc().compositeBuffer(2).addComponents(true, header, message.readRetainedSlice(length));
      largeBytes -= length;
      if (last) {
        ctx.write(frame, current.promise);
        message.release();
        current = null;
      } else {
        ctx.write(frame, ctx.voidPromise());
      }
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private static final class LargeMessage {
    final ByteBuf message;
    final ChannelPromise promise;
    final int total;

    LargeMessage(ByteBuf message, ChannelPromise promise) {
      this.message = message;
      this.promise = promise;
      this.total = message.readableBytes();
    }

    void abandon() {
      message.release();
      if (!promise.isVoid()) {
        promise.tryFailure(new ClosedChannelException());
      }
    }
  }
}
