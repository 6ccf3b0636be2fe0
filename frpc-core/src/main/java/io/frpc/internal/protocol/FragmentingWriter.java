package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Splits frames whose message exceeds the fragment size into FRAGMENT frames and streams them only
 * while the channel is writable, so small frames written meanwhile overtake the large message instead of
 * queueing behind all of it. Large messages are streamed one at a time, in the order written. What waits
 * to be written besides one message of up to the maximum message size — the outbound buffer, write tasks
 * from other threads, the unwritten rest of large messages — is bounded: a write that would exceed the bound
 * closes the connection, since its peer is not reading. With the {@code window} feature, fragment bytes sent and not
 * yet granted back by the peer stay within a window (exceeded by at most one fragment), so what the kernels of both
 * sides buffer of a large message, and what a small frame written meanwhile waits behind, is that window rather than
 * whatever the kernels are willing to hold. A peer that leaves the window full while fragments wait, granting
 * nothing for the grant timeout, is treated like a peer that does not read: the connection fails.
 */
public final class FragmentingWriter extends ChannelDuplexHandler {

  private final int fragmentSize;
  private final long maxQueuedBytes;
  private final int maxMessageSize;
  private final ArrayDeque<LargeMessage> queue = new ArrayDeque<>();
  private LargeMessage current;
  /** Fragment bytes that may be sent and not yet granted back; 0 without the {@code window} feature. */
  private long window;
  /** Fragment bytes sent and not yet granted back, counted only with a {@link #window}. */
  private long ungranted;
  private long grantTimeoutNanos;
  /** When the peer last granted, or fragments began waiting for a grant, on the event loop's ticker. */
  private long progressNanos;
  /** Runs while fragments wait for a grant; null otherwise. */
  private ScheduledFuture<?> grantCheck;
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
      LimitExceededException refused = refusal(ctx.channel(), frame.readableBytes());
      if (refused != null) {
        frame.release();
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
   * Why {@code bytes} more may not wait to be written on {@code channel}, which this writer writes to; null when they
   * may. Callable from any thread, for frames about to be handed to the channel.
   */
  public LimitExceededException refusal(Channel channel, long bytes) {
    long queued = queued(channel);
    if (queued + bytes <= maxQueuedBytes + maxMessageSize) {
      return null;
    }
    // counted with the bytes refused: from other threads those are all the frames queued for the I/O thread
    return new LimitExceededException("the peer does not read: " + (queued + bytes) + " bytes would wait to be "
        + "written, the limit is " + maxQueuedBytes + " (frpc.max-queued-outbound-bytes) besides one message of up to "
        + maxMessageSize + " (frpc.max-message-size)");
  }

  /**
   * Bytes waiting to be written on {@code channel}: its outbound buffer (writes submitted from other
   * threads included) and the unwritten rest of large messages. Callable from any thread.
   */
  public long queued(Channel channel) {
    ChannelOutboundBuffer buffered = channel.unsafe().outboundBuffer();
    return largeBytes + (buffered == null ? 0 : buffered.totalPendingWriteBytes());
  }

  /**
   * Keeps the fragment bytes sent and not yet granted back by the peer within {@code window} from now on (the
   * {@code window} feature was agreed).
   *
   * @param window       fragment bytes that may be sent and not yet granted back
   * @param grantTimeout how long fragments may wait for a grant before the connection fails
   */
  public void limitTo(long window, Duration grantTimeout) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be positive but was " + window);
    }
    this.window = window;
    this.grantTimeoutNanos = grantTimeout.toNanos();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof WindowGrant grant) {
      if (grant.bytes() > ungranted) {
        throw new ProtocolException("WINDOW granted " + grant.bytes() + " fragment bytes but " + ungranted
            + " were sent and not granted");
      }
      ungranted -= grant.bytes();
      progressNanos = ctx.executor().ticker().nanoTime();
      writeFragments(ctx);
    } else {
      ctx.fireChannelRead(msg);
    }
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
    if (grantCheck != null) {
      grantCheck.cancel(false);
      grantCheck = null;
    }
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
    while (ctx.channel().isWritable() && (window == 0 || ungranted < window)) {
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
      if (window != 0) {
        ungranted += length;
      }
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
    if (grantCheck == null && waitingForGrant()) {
      progressNanos = ctx.executor().ticker().nanoTime();
      grantCheck = ctx.executor().schedule(() -> checkGrants(ctx), grantTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private boolean waitingForGrant() {
    return window != 0 && ungranted >= window && (current != null || !queue.isEmpty());
  }

  /**
   * Fails the connection when fragments have waited for a grant for the grant timeout; looks again when they wait
   * but the peer granted meanwhile (checked once per timeout, not rescheduled per grant).
   */
  private void checkGrants(ChannelHandlerContext ctx) {
    grantCheck = null;
    if (!waitingForGrant()) {
      return;
    }
    long waited = ctx.executor().ticker().nanoTime() - progressNanos;
    if (waited >= grantTimeoutNanos) {
      ctx.fireExceptionCaught(new LimitExceededException("the peer has granted none of the " + ungranted
          + " fragment bytes sent for " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms (frpc.unwritable-timeout)"));
    } else {
      grantCheck = ctx.executor().schedule(() -> checkGrants(ctx), grantTimeoutNanos - waited, TimeUnit.NANOSECONDS);
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
