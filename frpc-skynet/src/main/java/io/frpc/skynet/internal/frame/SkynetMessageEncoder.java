package io.frpc.skynet.internal.frame;

import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_ERROR;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_MOD;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_PART;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_PART_END;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_PART_HEAD;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_RESPONSE;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_WHOLE;
import static io.frpc.skynet.internal.frame.SkynetWire.MAX_NAME_BYTES;
import static io.frpc.skynet.internal.frame.SkynetWire.MAX_SESSION;
import static io.frpc.skynet.internal.frame.SkynetWire.PART_SIZE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link SkynetMessage}s as skynet_fly's {@code frpcpack} does: each frame a 2-byte big-endian length and
 * its body, a payload over 32 KiB as a head frame and parts of 32 KiB (the last one marked). A message skynet_fly
 * would refuse to pack is refused here with an {@link IllegalArgumentException} (Netty fails the write with it):
 * a name over 255 bytes, a session outside 1..2^32-1, a pack id outside 0..255, a negative mod key. Stateless and
 * {@link Sharable}.
 */
@Sharable
public final class SkynetMessageEncoder extends MessageToByteEncoder<SkynetMessage> {

  /** An encoder for any number of channels. */
  public SkynetMessageEncoder() {
    super(SkynetMessage.class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, SkynetMessage message, boolean preferDirect) {
    int parts = message.payload().length / PART_SIZE + 1;
    int capacity = message.payload().length + 2 * MAX_NAME_BYTES + 32 + 7 * parts;
    return preferDirect ? ctx.alloc().ioBuffer(capacity) : ctx.alloc().heapBuffer(capacity);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, SkynetMessage message, ByteBuf out) {
    write(message, out);
  }

  /** Writes the frames of {@code message} to {@code out}. */
  public static void write(SkynetMessage message, ByteBuf out) {
    if (message instanceof SkynetRequest request) {
      writeRequest(request, out);
    } else if (message instanceof SkynetResponse response) {
      writeResponse(response, out);
    } else {
      writePush((SkynetPush) message, out);
    }
  }

  /**
   * Head: flag, pack id, the two name lengths, the names, session, the mod key if any; then the payload, or its
   * total size when parts follow. A part: flag, session, at most 32 KiB.
   */
  private static void writeRequest(SkynetRequest request, ByteBuf out) {
    byte[] module = name("module name", request.moduleName());
    byte[] instance = name("instance name", request.instanceName());
    checkPackId(request.packId());
    checkSession(request.session());
    if (request.modKey() < 0) {
      throw new IllegalArgumentException("mod key " + request.modKey() + " is negative; skynet_fly refuses it");
    }
    byte[] payload = request.payload();
    boolean inParts = payload.length > PART_SIZE;
    int flag = (inParts ? FLAG_PART_HEAD : FLAG_WHOLE) | (request.expectsResponse() ? FLAG_RESPONSE : 0)
        | (request.modKey() > 0 ? FLAG_MOD : 0);
    int lengthAt = out.writerIndex();
    out.writeShort(0);
    out.writeByte(flag).writeByte(request.packId()).writeByte(module.length).writeByte(instance.length)
        .writeBytes(module).writeBytes(instance).writeIntLE((int) request.session());
    if (request.modKey() > 0) {
      out.writeLongLE(request.modKey());
    }
    if (inParts) {
      out.writeIntLE(payload.length);
    } else {
      out.writeBytes(payload);
    }
    out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    if (inParts) {
      writeParts(payload, request.session(), true, out);
    }
  }

  /**
   * Session, then the flag (1 succeeded, 0 failed), then the payload; a failure's text is cut to 32 KiB. A
   * successful payload over 32 KiB: a head of session, flag and total size, then parts of session, flag, bytes.
   */
  private static void writeResponse(SkynetResponse response, ByteBuf out) {
    if (response.session() < 0 || response.session() > MAX_SESSION) {
      throw new IllegalArgumentException("session " + response.session() + " is not an unsigned 32-bit number");
    }
    byte[] payload = response.payload();
    if (response.ok() && payload.length > PART_SIZE) {
      out.writeShort(9).writeIntLE((int) response.session()).writeByte(FLAG_PART_HEAD).writeIntLE(payload.length);
      writeParts(payload, response.session(), false, out);
      return;
    }
    int length = response.ok() ? payload.length : Math.min(payload.length, PART_SIZE);
    out.writeShort(5 + length).writeIntLE((int) response.session())
        .writeByte(response.ok() ? FLAG_WHOLE : FLAG_ERROR).writeBytes(payload, 0, length);
  }

  /**
   * Whole: flag, pack id, session, name length, name, payload. In parts: a head of flag, total size, pack id,
   * session, name length, name; then parts of flag and bytes, with no session.
   */
  private static void writePush(SkynetPush push, ByteBuf out) {
    byte[] channel = name("channel name", push.channelName());
    checkPackId(push.packId());
    checkSession(push.session());
    byte[] payload = push.payload();
    if (payload.length > PART_SIZE) {
      out.writeShort(11 + channel.length).writeByte(FLAG_PART_HEAD).writeIntLE(payload.length)
          .writeByte(push.packId()).writeIntLE((int) push.session()).writeByte(channel.length).writeBytes(channel);
      for (int offset = 0; offset < payload.length; offset += PART_SIZE) {
        int size = Math.min(PART_SIZE, payload.length - offset);
        boolean last = offset + size == payload.length;
        out.writeShort(1 + size).writeByte(last ? FLAG_PART_END : FLAG_PART).writeBytes(payload, offset, size);
      }
      return;
    }
    out.writeShort(7 + channel.length + payload.length).writeByte(FLAG_WHOLE).writeByte(push.packId())
        .writeIntLE((int) push.session()).writeByte(channel.length).writeBytes(channel).writeBytes(payload);
  }

  /** The parts of a request (flag first) or a response (session first); the last one is marked. */
  private static void writeParts(byte[] payload, long session, boolean flagFirst, ByteBuf out) {
    for (int offset = 0; offset < payload.length; offset += PART_SIZE) {
      int size = Math.min(PART_SIZE, payload.length - offset);
      int flag = offset + size == payload.length ? FLAG_PART_END : FLAG_PART;
      out.writeShort(5 + size);
      if (flagFirst) {
        out.writeByte(flag).writeIntLE((int) session);
      } else {
        out.writeIntLE((int) session).writeByte(flag);
      }
      out.writeBytes(payload, offset, size);
    }
  }

  private static byte[] name(String what, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("the " + what + " is " + bytes.length + " bytes of UTF-8; skynet_fly's "
          + "frpc carries at most " + MAX_NAME_BYTES + " (a one-byte length): " + name.substring(0, 32) + "...");
    }
    return bytes;
  }

  private static void checkPackId(int packId) {
    if (packId < 0 || packId > 255) {
      throw new IllegalArgumentException("pack id " + packId + " does not fit the one byte skynet_fly sends");
    }
  }

  private static void checkSession(long session) {
    if (session < 1 || session > MAX_SESSION) {
      throw new IllegalArgumentException("session " + session + " outside 1..2^32-1, which skynet_fly refuses");
    }
  }
}
