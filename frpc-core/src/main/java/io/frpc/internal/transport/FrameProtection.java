package io.frpc.internal.transport;

import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.security.FrameCipher;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import javax.crypto.AEADBadTagException;

/**
 * Seals every frame this side writes and opens every frame it reads once an authenticated handshake
 * completed, with the connection's AES-256-GCM keys. Sits between the framing and the message decoder:
 * a frame keeps its 4-byte length prefix in clear (it grows by the 16-byte tag), its type and body are
 * encrypted. A frame that does not open — altered, replayed, reordered, dropped or injected on the way —
 * is a protocol violation and closes the connection.
 */
final class FrameProtection extends ChannelDuplexHandler {

  static final String NAME = "protection";

  private final FrameCipher sealing;
  private final FrameCipher opening;

  FrameProtection(FrameCipher sealing, FrameCipher opening) {
    this.sealing = sealing;
    this.opening = opening;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf sealed = (ByteBuf) msg;
    ByteBuf plain = null;
    try {
      int length = sealed.readableBytes() - FrameCipher.TAG_BYTES;
      if (length < 1) {
        throw new ProtocolException("protected frame of " + sealed.readableBytes() + " bytes is shorter than its tag");
      }
      plain = ctx.alloc().buffer(length);
      opening.open(sealed.nioBuffers(), plain.nioBuffer(0, length));
      plain.writerIndex(length);
    } catch (AEADBadTagException e) {
      plain.release();
      throw new ProtocolException("a frame failed authentication (altered, replayed, reordered or injected on "
          + "the way)");
    } finally {
      sealed.release();
    }
    ctx.fireChannelRead(plain);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ByteBuf frame = (ByteBuf) msg;
    if (!frame.isReadable()) {
      ctx.write(frame, promise);
      return;
    }
    ByteBuf sealed = null;
    try {
      int length = frame.readableBytes() - 4;
      if (length != frame.getInt(frame.readerIndex())) {
        throw new IllegalStateException("a frame must be written as one buffer to be sealed");
      }
      sealed = ctx.alloc().directBuffer(4 + length + FrameCipher.TAG_BYTES);
      sealed.writeInt(length + FrameCipher.TAG_BYTES);
      sealing.seal(frame.nioBuffers(frame.readerIndex() + 4, length),
          sealed.nioBuffer(4, length + FrameCipher.TAG_BYTES));
      sealed.writerIndex(4 + length + FrameCipher.TAG_BYTES);
    } catch (RuntimeException e) {
      frame.release();
      if (sealed != null) {
        sealed.release();
      }
      promise.tryFailure(e);
      return;
    }
    frame.release();
    ctx.write(sealed, promise);
  }
}
