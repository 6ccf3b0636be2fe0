package io.frpc.internal.protocol;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import tools.jackson.databind.ObjectWriter;

/**
 * Encodes complete frames (length prefix included) into pooled buffers. Arguments and results are
 * written by Smile straight into the frame buffer, so each is encoded exactly once. Whoever receives
 * the returned buffer owns it; on failure the buffer is released here.
 */
public final class Frames {

  private Frames() {
  }

  /** A REQUEST frame; its request id can be patched at {@link RequestEnvelope#REQUEST_ID_OFFSET}. */
  public static ByteBuf request(ByteBufAllocator alloc, RequestEnvelope envelope, PayloadCodec codec,
      Object[] args) {
    ByteBuf frame = begin(alloc, FrameType.REQUEST, 256 + estimatedSize(args));
    try {
      envelope.writeTo(frame);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    return finish(codec.writeArguments(frame, args));
  }

  /** A RESPONSE frame carrying a successful result. */
  public static ByteBuf ok(ByteBufAllocator alloc, int requestId, PayloadCodec codec, ObjectWriter writer,
      Object value) {
    ByteBuf frame = begin(alloc, FrameType.RESPONSE, 64 + estimatedSize(value));
    frame.writeInt(requestId);
    frame.writeByte(ResponseStatus.OK);
    return finish(codec.writeValue(frame, writer, value));
  }

  /** A RESPONSE frame carrying an error. */
  public static ByteBuf error(ByteBufAllocator alloc, int requestId, PayloadCodec codec, RemoteError error) {
    ByteBuf frame = begin(alloc, FrameType.RESPONSE, 128);
    try {
      frame.writeInt(requestId);
      frame.writeByte(ResponseStatus.ERROR);
      codec.writeControl(frame, error);
      return finish(frame);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  /** A RESPONSE frame carrying every instance's part of a broadcast call. */
  public static ByteBuf broadcast(ByteBufAllocator alloc, int requestId, List<BroadcastItem> items) {
    int size = 16;
    for (BroadcastItem item : items) {
      size += 264 + item.body().length();
    }
    ByteBuf frame = begin(alloc, FrameType.RESPONSE, size);
    try {
      frame.writeInt(requestId);
      frame.writeByte(ResponseStatus.BROADCAST);
      frame.writeShort(items.size());
      for (BroadcastItem item : items) {
        frame.writeShort(item.index());
        RequestEnvelope.writeShortString(frame, item.instanceName() == null ? "" : item.instanceName());
        frame.writeByte(item.status());
        frame.writeInt(item.body().length());
        frame.writeBytes(item.body().view());
      }
      return finish(frame);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  /** A frame whose body is a Smile-encoded control record (handshake frames). */
  public static ByteBuf control(ByteBufAllocator alloc, byte type, PayloadCodec codec, Object body) {
    ByteBuf frame = begin(alloc, type, 128);
    try {
      codec.writeControl(frame, body);
      return finish(frame);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }

  /** A PING or PONG frame. */
  public static ByteBuf heartbeat(ByteBufAllocator alloc, boolean pong, long timestamp) {
    ByteBuf frame = begin(alloc, pong ? FrameType.PONG : FrameType.PING, 16);
    frame.writeLong(timestamp);
    return finish(frame);
  }

  /** A GOING_AWAY frame (no body). */
  public static ByteBuf goingAway(ByteBufAllocator alloc) {
    return finish(begin(alloc, FrameType.GOING_AWAY, 8));
  }

  /** A CANCEL frame: the caller no longer waits for the reply to {@code requestId}. */
  public static ByteBuf cancel(ByteBufAllocator alloc, int requestId) {
    ByteBuf frame = begin(alloc, FrameType.CANCEL, 12);
    frame.writeInt(requestId);
    return finish(frame);
  }

  /** A WINDOW frame: the sender has read {@code bytes} more fragment bytes. */
  static ByteBuf window(ByteBufAllocator alloc, int bytes) {
    ByteBuf frame = begin(alloc, FrameType.WINDOW, 12);
    frame.writeInt(bytes);
    return finish(frame);
  }

  /** Parses the body of a BROADCAST response; the items' bodies are parts of {@code body}, valid as long as it is. */
  public static List<BroadcastItem> readBroadcast(Payload body) {
    ByteBuf in = body.view();
    int count = in.readUnsignedShort();
    BroadcastItem[] items = new BroadcastItem[count];
    for (int i = 0; i < count; i++) {
      int index = in.readUnsignedShort();
      String name = RequestEnvelope.readShortString(in);
      byte status = in.readByte();
      int length = in.readInt();
      items[i] = new BroadcastItem(index, name.isEmpty() ? null : name, status, body.part(in.readerIndex(), length));
      in.skipBytes(length);
    }
    return List.of(items);
  }

  /**
   * About how many bytes Smile needs for {@code value}, counting only what is cheap to see (byte arrays and
   * strings, also as arguments, and {@link FrpcBytes} copied into the frame): a frame sized from it is not
   * reallocated, and copied, as it grows, and a large one is taken from the pool of large messages at once.
   */
  static int estimatedSize(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes.length + 8;
    }
    if (value instanceof String string) {
      return string.length() + 8;
    }
    if (value instanceof FrpcBytes bytes) {
      return ScalarSmile.copiedLength(bytes) + 8;
    }
    if (value instanceof Object[] values) {
      long size = 8;
      for (Object element : values) {
        size += element instanceof Object[] ? 32 : estimatedSize(element);
      }
      return (int) Math.min(size, Integer.MAX_VALUE - 1024);
    }
    return 32;
  }

  /** Size of the message a frame carries, as limited by {@code frpc.max-message-size}. */
  public static int messageSize(ByteBuf frame) {
    return frame.readableBytes() - 4;
  }

  static ByteBuf begin(ByteBufAllocator alloc, byte type, int initialCapacity) {
    ByteBuf frame = MessageBuffers.buffer(alloc, initialCapacity);
    frame.writeInt(0);
    frame.writeByte(type);
    return frame;
  }

  static ByteBuf finish(ByteBuf frame) {
    frame.setInt(0, frame.readableBytes() - 4);
    return frame;
  }
}
