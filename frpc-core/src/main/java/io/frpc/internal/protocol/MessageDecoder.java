package io.frpc.internal.protocol;

import io.frpc.time.FrpcClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;

/**
 * Turns frames into messages on the I/O thread. Only envelopes are parsed here; argument and result
 * bytes are handed on undecoded. FRAGMENT frames are reassembled into chunks of pooled memory added as
 * bytes actually arrive (never for the size a peer declares), reserved from the node's {@link InboundBudget};
 * a reassembled request or reply shares its chunks, which hold their share of the budget until freed
 * ({@link ChargedMessage}), with its {@link Payload}, which the decoding thread releases. At most one message is
 * being reassembled per connection, because senders stream large messages one at a time. A reassembly that receives no fragment for the stall timeout fails the
 * connection and frees its budget, so a peer cannot hold memory by starting a message and never ending it.
 * With the {@code window} feature it grants the fragment bytes it read back to the peer in WINDOW frames, every
 * {@value #GRANT_AFTER} bytes and when a read ends, and hands the peer's grants on to the {@link FragmentingWriter}.
 */
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {

  private static final int FIRST = 0x01;
  private static final int LAST = 0x02;

  /** The smallest chunk a fragmented message is reassembled into (unless the message lacks fewer bytes). */
  static final int CHUNK_BYTES = 64 * 1024;

  /** Fragment bytes read after which a WINDOW frame grants them back even though the read goes on. */
  static final int GRANT_AFTER = 256 * 1024;

  private final PayloadCodec codec;
  private final int maxMessageSize;
  private final InboundBudget budget;
  private final long stallNanos;
  private final FrpcClock clock;
  private final NameCache names = new NameCache();
  /** When the current read began, on {@link #clock}, once {@link #readStamped}. */
  private long readNanos;
  private boolean readStamped;
  private boolean handshakeCompleted;
  private boolean windowAgreed;
  /** Fragment bytes read and not yet granted back, with {@link #windowAgreed}. */
  private int ungranted;
  /** Checks the unfinished message for progress while there is one; null otherwise. */
  private ScheduledFuture<?> stallCheck;
  private long lastFragmentNanos;
  /** The full chunks of the message being reassembled, charged for them and for {@link #tail}; or null. */
  private ChargedMessage partial;
  /** The chunk being filled, not yet part of {@link #partial}. */
  private ByteBuf tail;
  private int partialFilled;
  private int partialTotal;

  /**
   * @param maxMessageSize largest message accepted
   * @param budget         the node-wide memory for unfinished messages
   * @param stallTimeout   an unfinished message that receives no fragment for this long fails the connection
   *                       (measured on the event loop's ticker)
   * @param clock          the node's clock, on which a request's arrival is stamped: the worker that runs it
   *                       compares the caller's deadline with it
   */
  public MessageDecoder(PayloadCodec codec, int maxMessageSize, InboundBudget budget, Duration stallTimeout,
      FrpcClock clock) {
    super(ByteBuf.class);
    this.codec = codec;
    this.maxMessageSize = maxMessageSize;
    this.budget = budget;
    this.stallNanos = stallTimeout.toNanos();
    this.clock = clock;
  }

  /**
   * Admits frames other than handshake frames from now on.
   *
   * @param window whether both sides agreed the {@code window} feature: WINDOW frames are admitted and fragment
   *               bytes read are granted back
   */
  public void handshakeCompleted(boolean window) {
    handshakeCompleted = true;
    windowAgreed = window;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    int type = frame.readByte();
    if (!handshakeCompleted && !FrameType.isHandshake(type)) {
      throw new ProtocolException(FrameType.name(type) + " frame before the handshake completed");
    }
    try {
      if (type == FrameType.FRAGMENT) {
        Object message = reassemble(ctx, frame);
        if (message != null) {
          out.add(message);
        }
      } else {
        out.add(decodeMessage(type, frame));
      }
    } catch (IndexOutOfBoundsException e) {
      throw new ProtocolException("truncated " + FrameType.name(type) + " frame");
    }
  }

  private Object decodeMessage(int type, ByteBuf in) {
    return switch (type) {
      case FrameType.REQUEST -> {
        RequestEnvelope envelope = RequestEnvelope.readFrom(in, names);
        yield new InboundRequest(envelope, remaining(in, true), readNanos());
      }
      case FrameType.RESPONSE -> {
        int requestId = in.readInt();
        byte status = in.readByte();
        if (status < ResponseStatus.OK || status > ResponseStatus.BROADCAST) {
          throw new ProtocolException("unknown response status " + status);
        }
        yield new InboundResponse(requestId, status, remaining(in, true));
      }
      case FrameType.SUBSCRIBE -> PubSubFrames.readSubscribe(in);
      case FrameType.UNSUBSCRIBE -> new PubSubFrames.Unsubscribe(in.readInt());
      case FrameType.SUBSCRIBE_REJECT -> PubSubFrames.readReject(in);
      case FrameType.MESSAGE, FrameType.STATE -> {
        boolean state = type == FrameType.STATE;
        int[][] ids = PubSubFrames.readIds(in, !state);
        String channel = RequestEnvelope.readShortString(in, names);
        long version = state ? in.readLong() : -1;
        if (state && version < 0) {
          throw new ProtocolException("negative state version " + version);
        }
        yield new PubSubFrames.Publication(ids[0], ids[1], channel, version, remaining(in, false));
      }
      case FrameType.GOING_AWAY -> new GoingAway();
      case FrameType.CANCEL -> new Cancel(in.readInt());
      case FrameType.WINDOW -> {
        if (!windowAgreed) {
          throw new ProtocolException("WINDOW frame without the window feature");
        }
        long bytes = in.readUnsignedInt();
        if (bytes == 0) {
          throw new ProtocolException("WINDOW frame granting no bytes");
        }
        yield new WindowGrant(bytes);
      }
      case FrameType.PING, FrameType.PONG -> new Heartbeat(type == FrameType.PONG, in.readLong());
      case FrameType.HELLO -> control(in, type, Handshake.Hello.class);
      case FrameType.HELLO_ACK -> control(in, type, Handshake.HelloAck.class);
      case FrameType.HELLO_REJECT -> control(in, type, Handshake.HelloReject.class);
      case FrameType.CHALLENGE -> control(in, type, Handshake.Challenge.class);
      case FrameType.AUTH -> control(in, type, Handshake.Auth.class);
      default -> throw new ProtocolException("unknown frame type " + FrameType.name(type));
    };
  }

  private Object reassemble(ChannelHandlerContext ctx, ByteBuf frame) {
    lastFragmentNanos = ctx.executor().ticker().nanoTime();
    if (stallCheck == null) {
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), stallNanos / 4);
      stallCheck = ctx.executor().scheduleAtFixedRate(() -> checkProgress(ctx), period, period, TimeUnit.NANOSECONDS);
    }
    int flags = frame.readUnsignedByte();
    if ((flags & FIRST) != 0) {
      if (partial != null) {
        throw new ProtocolException("a new fragmented message started before the previous one ended");
      }
      long total = frame.readUnsignedInt();
      if (total > maxMessageSize) {
        throw new ProtocolException("fragmented message of " + total
            + " bytes exceeds the maximum message size of " + maxMessageSize + " bytes");
      }
      partialTotal = (int) total;
      partialFilled = 0;
      partial = new ChargedMessage(ctx.alloc(), budget);
    } else if (partial == null) {
      throw new ProtocolException("fragment without a first fragment");
    }
    int length = frame.readableBytes();
    if (length > partialTotal - partialFilled) {
      throw new ProtocolException("fragments exceed the declared message size of " + partialTotal);
    }
    if (windowAgreed) {
      ungranted += length;
      if (ungranted >= GRANT_AFTER) {
        grant(ctx);
      }
    }
    append(ctx, frame);
    if ((flags & LAST) == 0) {
      return null;
    }
    if (partialFilled != partialTotal) {
      throw new ProtocolException("fragmented message ended after " + partialFilled + " of "
          + partialTotal + " bytes");
    }
    if (tail != null) {
      partial.addComponent(true, tail);
      tail = null;
    }
    int type = partial.readByte();
    if (type == FrameType.FRAGMENT || FrameType.isHandshake(type)) {
      throw new ProtocolException(FrameType.name(type) + " frame inside a fragmented message");
    }
    try {
      return decodeMessage(type, partial);
    } finally {
      discardPartial();
    }
  }

  /**
   * Copies a fragment's bytes into chunks of pooled memory reserved from the node's budget: at least
   * {@value #CHUNK_BYTES} bytes each (at most what the message still lacks), so the chunks — not the read buffers
   * the fragments arrived in, which a slice would pin whatever their size — are what the message holds, and tiny
   * fragments add bytes to a chunk rather than chunks to the message.
   */
  private void append(ChannelHandlerContext ctx, ByteBuf frame) {
    while (frame.isReadable()) {
      if (tail == null) {
        int size = Math.min(partialTotal - partialFilled, Math.max(CHUNK_BYTES, frame.readableBytes()));
        if (!partial.tryCharge(size)) {
          throw new LimitExceededException("unfinished inbound messages would exceed the node's budget of "
              + budget.limit() + " bytes (frpc.max-inbound-bytes); this message had " + partialFilled + " of "
              + partialTotal + " bytes");
        }
        tail = ctx.alloc().directBuffer(size, size);
      }
      int count = Math.min(tail.writableBytes(), frame.readableBytes());
      // read from the frame, not written into the chunk: a pooled chunk would take a frame held in several parts as
      // one merged heap copy
      frame.readBytes(tail, count);
      partialFilled += count;
      if (!tail.isWritable()) {
        partial.addComponent(true, tail);
        tail = null;
      }
    }
  }

  private void checkProgress(ChannelHandlerContext ctx) {
    if (partial == null) {
      stopStallCheck();
    } else if (ctx.executor().ticker().nanoTime() - lastFragmentNanos >= stallNanos) {
      int filled = partialFilled;
      int total = partialTotal;
      discardPartial();
      ctx.fireExceptionCaught(new LimitExceededException("an unfinished message (" + filled + " of " + total
          + " bytes) received no fragment for " + TimeUnit.NANOSECONDS.toMillis(stallNanos)
          + " ms (frpc.handshake-timeout)"));
      ctx.close();
    }
  }

  private void stopStallCheck() {
    if (stallCheck != null) {
      stallCheck.cancel(false);
      stallCheck = null;
    }
  }

  /**
   * Gives up this decoder's claim on the message being reassembled: its memory and budget are freed now, or when
   * the last payload or view sharing it is released.
   */
  private void discardPartial() {
    if (tail != null) {
      tail.release();
      tail = null;
    }
    if (partial != null) {
      partial.release();
      partial = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    stopStallCheck();
    discardPartial();
    super.handlerRemoved(ctx);
  }

  /**
   * When the current read began: every request of one read is stamped with the clock read once, at its first
   * request — when those bytes had arrived.
   */
  private long readNanos() {
    if (!readStamped) {
      readNanos = clock.nanoTime();
      readStamped = true;
    }
    return readNanos;
  }

  /** Grants the fragment bytes read so far back to the peer, at once. */
  private void grant(ChannelHandlerContext ctx) {
    ctx.write(Frames.window(ctx.alloc(), ungranted), ctx.voidPromise());
    ungranted = 0;
    // flushed past the consolidation of replies: the peer's next fragments wait for this frame
    ChannelHandlerContext consolidation = ctx.pipeline().context(FlushConsolidationHandler.class);
    (consolidation == null ? ctx : consolidation).flush();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (ungranted > 0) {
      grant(ctx);
    }
    readStamped = false;
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stopStallCheck();
    discardPartial();
    super.channelInactive(ctx);
  }

  private <T> T control(ByteBuf in, int type, Class<T> record) {
    try {
      return codec.readControl(remaining(in, false), record);
    } catch (JacksonException e) {
      throw new ProtocolException("malformed " + FrameType.name(type) + " body: " + e.getOriginalMessage());
    }
  }

  /**
   * The rest of the frame or message. A reassembled message's request or reply shares the message's chunks, and
   * the budget they were charged to, until the thread that decodes it releases it and every view of it is closed;
   * unpooled array-backed frames (opened by frame protection) are shared; a pooled frame's bytes are copied out,
   * since its memory goes back to its pool once the frame is released.
   */
  private Payload remaining(ByteBuf in, boolean mayKeep) {
    int length = in.readableBytes();
    if (mayKeep && in == partial) {
      return Payload.owning(in.readRetainedSlice(length));
    }
    if (in instanceof UnpooledHeapByteBuf) {
      Payload payload = new Payload(in.array(), in.arrayOffset() + in.readerIndex(), length);
      in.skipBytes(length);
      return payload;
    }
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return new Payload(bytes, 0, length);
  }

  /** Flag bits of a FRAGMENT frame, shared with {@link FragmentingWriter}. */
  static int fragmentFlags(boolean first, boolean last) {
    return (first ? FIRST : 0) | (last ? LAST : 0);
  }
}
