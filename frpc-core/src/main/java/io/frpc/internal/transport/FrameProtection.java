package io.frpc.internal.transport;

import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.security.FrameCipher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.ByteBuffer;
import javax.crypto.AEADBadTagException;

/**
 * Seals every frame this side writes and opens every frame it reads once an authenticated handshake
 * completed, with the connection's AES-256-GCM keys. Sits between the framing and the message decoder:
 * a frame keeps its 4-byte length prefix in clear (it grows by the 16-byte tag), its type and body are
 * encrypted. A frame that does not open — altered, replayed, reordered, dropped or injected on the way —
 * is a protocol violation and closes the connection.
 *
 * <p>The cipher works on arrays only: the JDK's AES-GCM copies direct memory through small chunks (a profile of
 * 4 KiB calls showed that copy as the largest cost besides the cipher itself), while one copy of the frame into an
 * array costs a fraction of it. An opened frame keeps its array of its own, which the message decoder then shares
 * instead of copying.
 */
final class FrameProtection extends ChannelDuplexHandler {

  static final String NAME = "protection";
  /** Frames up to this size are copied through one array kept per direction; larger ones through their own. */
  private static final int SCRATCH_BYTES = 16 * 1024;

  private final FrameCipher sealing;
  private final FrameCipher opening;
  /** The copy of a sealed frame read, and of a plain frame written; used on the I/O thread only. */
  private final byte[] readScratch = new byte[SCRATCH_BYTES];
  private final byte[] writeScratch = new byte[SCRATCH_BYTES];

  FrameProtection(FrameCipher sealing, FrameCipher opening) {
    this.sealing = sealing;
    this.opening = opening;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf sealed = (ByteBuf) msg;
    byte[] plain;
    try {
      int length = sealed.readableBytes() - FrameCipher.TAG_BYTES;
      if (length < 1) {
        throw new ProtocolException("protected frame of " + sealed.readableBytes() + " bytes is shorter than its tag");
      }
      int total = sealed.readableBytes();
      byte[] bytes = total <= SCRATCH_BYTES ? readScratch : new byte[total];
      sealed.getBytes(sealed.readerIndex(), bytes, 0, total);
      plain = new byte[length];
      opening.open(new ByteBuffer[] {ByteBuffer.wrap(bytes, 0, total)}, ByteBuffer.wrap(plain));
    } catch (AEADBadTagException e) {
      throw new ProtocolException("a frame failed authentication (altered, replayed, reordered or injected on "
          + "the way)");
    } finally {
      sealed.release();
    }
    // unpooled: the message decoder shares the array of such a frame instead of copying it
    ctx.fireChannelRead(Unpooled.wrappedBuffer(plain));
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
      byte[] plain = length <= SCRATCH_BYTES ? writeScratch : new byte[length];
      frame.getBytes(frame.readerIndex() + 4, plain, 0, length);
      sealed = ctx.alloc().heapBuffer(4 + length + FrameCipher.TAG_BYTES);
      sealed.writeInt(length + FrameCipher.TAG_BYTES);
      sealing.seal(new ByteBuffer[] {ByteBuffer.wrap(plain, 0, length)},
          ByteBuffer.wrap(sealed.array(), sealed.arrayOffset() + 4, length + FrameCipher.TAG_BYTES));
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
