package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames: a 4-byte big-endian length followed by that many bytes. The
 * length is checked against the current limit before any byte of the frame is buffered, and the limit
 * is small until the handshake completes. Netty's {@code LengthFieldBasedFrameDecoder} cannot change
 * its limit on a live connection, hence this small decoder.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  /** Largest frame accepted before the handshake completed. */
  public static final int HANDSHAKE_FRAME_LIMIT = 16 * 1024;
  /** Largest single frame of protocol version 1; larger messages travel as fragments. */
  public static final int MAX_FRAME_LENGTH = 1024 * 1024 + 64;

  private int maxFrameLength = HANDSHAKE_FRAME_LIMIT;

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
}
