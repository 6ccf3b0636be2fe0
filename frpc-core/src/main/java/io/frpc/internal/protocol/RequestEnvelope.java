package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The routing part of a REQUEST frame: everything the receiving I/O thread reads. The arguments follow
 * it as an opaque {@link Payload}.
 *
 * @param requestId     correlates the reply; 0 for a send
 * @param replyWanted   whether the caller waits for a RESPONSE
 * @param selection     instance selection on the remote node
 * @param modKey        key for {@link InstanceSelection#MOD}
 * @param module        module name
 * @param instanceName  instance-name filter, or {@code null} for all instances
 * @param command       command name
 * @param deadlineMillis how long the caller still waits, counted from arrival: the time left before its
 *                      deadline when the request was written (at least 1); 0 for none (a send)
 * @param traceContext  the caller's trace context (W3C {@code traceparent}), or {@code null}; sent only to a
 *                      node that announced the {@code trace} feature
 */
public record RequestEnvelope(int requestId, boolean replyWanted, InstanceSelection selection, long modKey,
    String module, String instanceName, String command, int deadlineMillis, String traceContext) {

  /** An envelope without a trace context. */
  public RequestEnvelope(int requestId, boolean replyWanted, InstanceSelection selection, long modKey,
      String module, String instanceName, String command, int deadlineMillis) {
    this(requestId, replyWanted, selection, modKey, module, instanceName, command, deadlineMillis, null);
  }

  /** Offset of the request id inside an encoded frame, counted from the length prefix. */
  public static final int REQUEST_ID_OFFSET = 4 + 1 + 1;

  private static final int REPLY_WANTED = 0x01;
  private static final int TRACED = 0x08;
  private static final int RESERVED = 0xF0;

  void writeTo(ByteBuf out) {
    out.writeByte((replyWanted ? REPLY_WANTED : 0) | (selection.wireCode() << 1) | (traceContext != null ? TRACED : 0));
    out.writeInt(requestId);
    out.writeInt(deadlineMillis);
    if (selection == InstanceSelection.MOD) {
      out.writeLong(modKey);
    }
    writeShortString(out, module);
    writeShortString(out, instanceName == null ? "" : instanceName);
    writeShortString(out, command);
    if (traceContext != null) {
      writeShortString(out, traceContext);
    }
  }

  /** Reads an envelope; its names come from the connection's {@code names}. */
  public static RequestEnvelope readFrom(ByteBuf in, NameCache names) {
    int flags = in.readUnsignedByte();
    if ((flags & RESERVED) != 0) {
      throw new ProtocolException(String.format("REQUEST flags 0x%02x set reserved bits 4-7", flags));
    }
    InstanceSelection selection = InstanceSelection.ofWireCode((flags >> 1) & 0x03);
    int requestId = in.readInt();
    int deadlineMillis = in.readInt();
    long modKey = selection == InstanceSelection.MOD ? in.readLong() : 0;
    String module = readShortString(in, names);
    String instanceName = readShortString(in, names);
    String command = readShortString(in, names);
    // a trace context differs from call to call: no use keeping it
    String traceContext = (flags & TRACED) != 0 ? readShortString(in) : null;
    return new RequestEnvelope(requestId, (flags & REPLY_WANTED) != 0, selection, modKey, module,
        instanceName.isEmpty() ? null : instanceName, command, deadlineMillis, traceContext);
  }

  static void writeShortString(ByteBuf out, String value) {
    int lengthIndex = out.writerIndex();
    out.writeByte(0);
    int length = out.writeCharSequence(value, StandardCharsets.UTF_8);
    if (length > 255) {
      throw new IllegalArgumentException("name longer than 255 UTF-8 bytes: " + value);
    }
    out.setByte(lengthIndex, length);
  }

  static String readShortString(ByteBuf in) {
    int length = in.readUnsignedByte();
    if (length == 0) {
      return "";
    }
    String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return value;
  }

  /** A name written by {@link #writeShortString}, the same string as the last time {@code names} read it. */
  static String readShortString(ByteBuf in, NameCache names) {
    int length = in.readUnsignedByte();
    if (length > in.readableBytes()) {
      throw new IndexOutOfBoundsException("name of " + length + " bytes, " + in.readableBytes() + " left");
    }
    return length == 0 ? "" : names.read(in, length);
  }
}
