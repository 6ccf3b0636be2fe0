package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames: a 4-byte big-endian length followed by that many bytes. The
 * length is checked against the current limit before any byte of the frame is buffered, and the limit
 * is small until the handshake completes. Netty's {@code LengthFieldBasedFrameDecoder} cannot change
 * its limit on a live connection, hence this small decoder.
 *
 * <p>A large frame spans several reads. Netty copies each read into one growing buffer; here a read of at least
 * {@value #PART_MIN_BYTES} bytes joins a large frame as a part of its own instead — by reference when it filled at
 * least half of its buffer, so the frame's bytes are not copied before the message decoder takes them, else copied
 * into a buffer of its size — so a frame has at most one part per kilobyte and pins at most about twice its size. A
 * smaller read is copied together with the frame so far into one buffer with room for the whole frame, which then
 * takes the frame's later reads without growing: at most one such copy per frame, whatever the sizes of the reads a
 * peer sends.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  /** Largest frame accepted before the handshake completed. */
  public static final int HANDSHAKE_FRAME_LIMIT = 16 * 1024;
  /** Largest single frame of protocol version 1; larger messages travel as fragments. */
  public static final int MAX_FRAME_LENGTH = 1024 * 1024 + 64;

  /** Frames from this length up may be held by reference to the reads they arrived in. */
  static final int REFERENCED_FRAME_BYTES = 16 * 1024;
  /** Smallest read that joins a large frame as a part: by reference, or copied from a mostly empty buffer. */
  static final int PART_MIN_BYTES = 1024;

  private int maxFrameLength = HANDSHAKE_FRAME_LIMIT;

  public FrameDecoder() {
    setCumulator(FrameDecoder::cumulate);
  }

  /** Raises the limit to {@link #MAX_FRAME_LENGTH} once the peer has been admitted. */
  public void handshakeCompleted() {
    maxFrameLength = MAX_FRAME_LENGTH;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 4) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length < 1 || length > maxFrameLength) {
      in.skipBytes(in.readableBytes());
      throw new ProtocolException("frame length " + length + " outside the allowed 1.." + maxFrameLength);
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    in.skipBytes(4);
    out.add(in.readRetainedSlice((int) length));
  }

  private static ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    // decode() has consumed every whole frame, so an unfinished frame starts at the reader index; its length
    // passed the limit when decode() first saw it
    long frameLength = cumulation.readableBytes() < 4 ? 0 : cumulation.getUnsignedInt(cumulation.readerIndex());
    int readable = in.readableBytes();
    if (frameLength >= REFERENCED_FRAME_BYTES && readable >= PART_MIN_BYTES && cumulation.writableBytes() < readable) {
      if (readable < in.capacity() / 2) {
        ByteBuf copy = alloc.buffer(readable, readable);
        in.readBytes(copy, readable);
        in.release();
        in = copy;
      }
      return COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in);
    }
    if (!(cumulation instanceof CompositeByteBuf)) {
      return MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
    }
    int needed = cumulation.readableBytes() + readable;
    ByteBuf whole = alloc.buffer((int) Math.max(needed, 4 + frameLength));
    try {
      // read out of the parts rather than written into a pooled buffer, which would take them as one merged heap copy
      cumulation.readBytes(whole, cumulation.readableBytes());
      in.readBytes(whole, readable);
      return whole;
    } finally {
      cumulation.release();
      in.release();
    }
  }
}
