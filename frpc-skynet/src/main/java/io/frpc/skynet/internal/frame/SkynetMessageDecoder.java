package io.frpc.skynet.internal.frame;

import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_ERROR;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_MOD;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_PART;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_PART_END;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_PART_HEAD;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_RESPONSE;
import static io.frpc.skynet.internal.frame.SkynetWire.FLAG_WHOLE;
import static io.frpc.skynet.internal.frame.SkynetWire.MAX_FRAME_BODY;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the frame bodies of one direction of a skynet_fly frpc connection into whole {@link SkynetMessage}s,
 * reassembling messages sent in parts. It follows {@link #lengthPrefixDecoder()}, which cuts the stream at the 2-byte
 * lengths.
 *
 * <p>What a connection carries depends on its role, which the bytes do not say: a server reads {@link
 * Direction#REQUESTS}; a client reads {@link Direction#RESPONSES}, and on a "watch" connection first the responses
 * of its handshake and then {@link Direction#PUSHES} (replace this handler then).
 *
 * <p>Parts of requests and responses carry their session, and skynet_fly writes parts at a lower priority than
 * whole messages, so whole messages may arrive between the parts of another: several messages may be under
 * reassembly at once, at most {@code maxPartialMessages}. Parts of pushes carry no session: one push at a time.
 * The total size a head announces is checked against {@code maxMessageSize} before any part is kept, and no buffer
 * grows beyond the bytes that arrived, so a connection holds at most {@code maxPartialMessages * maxMessageSize}
 * bytes of parts.
 *
 * <p>Anything else the format does not allow throws {@link SkynetFrameException}, once: the decoder then drops
 * whatever else arrives (frames already read would otherwise each raise their own failure before the connection is
 * gone), and the connection should be closed. Not sharable: one per connection.
 */
public final class SkynetMessageDecoder extends MessageToMessageDecoder<ByteBuf> {

  /** What one direction of a connection carries. */
  public enum Direction {
    /** Requests, which a server reads. */
    REQUESTS,
    /** Responses, which a client reads. */
    RESPONSES,
    /** Pushes, which a client reads on a watch connection once its handshake is done. */
    PUSHES
  }

  /** The default {@code maxMessageSize}: 16 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
  /** The default {@code maxPartialMessages}. */
  public static final int DEFAULT_MAX_PARTIAL_MESSAGES = 8;

  private final Direction direction;
  private final int maxMessageSize;
  private final int maxPartialMessages;
  /** Requests or responses under reassembly, by session; only this handler's event loop touches it. */
  private final Map<Long, Partial> partials = new HashMap<>();
  /** The push under reassembly. */
  private Partial push;
  /** Whether a frame broke the format: what follows is dropped until the connection closes. */
  private boolean failed;

  /**
   * A decoder of one direction.
   *
   * @param direction what the connection carries towards this side
   * @param maxMessageSize the largest payload of a message sent in parts
   * @param maxPartialMessages how many messages may be under reassembly at once
   */
  public SkynetMessageDecoder(Direction direction, int maxMessageSize, int maxPartialMessages) {
    super(ByteBuf.class);
    if (maxMessageSize < 0 || maxPartialMessages < 1) {
      throw new IllegalArgumentException("maxMessageSize must not be negative and maxPartialMessages must be"
          + " positive, were " + maxMessageSize + " and " + maxPartialMessages);
    }
    this.direction = direction;
    this.maxMessageSize = maxMessageSize;
    this.maxPartialMessages = maxPartialMessages;
  }

  /** A decoder of one direction with the default limits. */
  public SkynetMessageDecoder(Direction direction) {
    this(direction, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_PARTIAL_MESSAGES);
  }

  /**
   * Netty's decoder of the framing both directions share, to place before this one: a 2-byte big-endian length,
   * stripped, and that many bytes. A 2-byte length cannot exceed the limit, so it never refuses a frame.
   */
  public static LengthFieldBasedFrameDecoder lengthPrefixDecoder() {
    return new LengthFieldBasedFrameDecoder(2 + MAX_FRAME_BODY, 0, 2, 0, 2);
  }

  /** The bytes of parts held for messages under reassembly. */
  long bufferedBytes() {
    long bytes = push == null ? 0 : push.received();
    for (Partial partial : partials.values()) {
      bytes += partial.received();
    }
    return bytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
    if (failed) {
      return;
    }
    SkynetMessage message;
    try {
      message = switch (direction) {
        case REQUESTS -> request(body);
        case RESPONSES -> response(body);
        case PUSHES -> push(body);
      };
    } catch (SkynetFrameException e) {
      failed = true;
      partials.clear();
      push = null;
      throw e;
    }
    if (message != null) {
      out.add(message);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    partials.clear();
    push = null;
    super.channelInactive(ctx);
  }

  /**
   * A whole request or a head: flag, pack id, name lengths, names, session, the mod key when flagged, then the
   * payload or (head) the total size. A part: flag, session, bytes. The flag's low four bits say which; of a part
   * skynet_fly reads only those.
   */
  private SkynetMessage request(ByteBuf body) {
    int length = body.readableBytes();
    if (length < 1) {
      throw new SkynetFrameException("an empty request frame");
    }
    int flag = body.getUnsignedByte(body.readerIndex());
    int kind = flag & 0x0F;
    if (kind == FLAG_PART || kind == FLAG_PART_END) {
      if (length < 5) {
        throw new SkynetFrameException("a request part of " + length + " bytes, shorter than its 5-byte header");
      }
      long session = body.getUnsignedIntLE(body.readerIndex() + 1);
      body.skipBytes(5);
      Partial partial = partials.get(session);
      if (partial == null) {
        throw new SkynetFrameException("a request part for session " + session + ", which has no head");
      }
      partial.append(body, session);
      if (kind == FLAG_PART) {
        return null;
      }
      partials.remove(session);
      SkynetRequest head = (SkynetRequest) partial.head;
      return new SkynetRequest(head.packId(), head.moduleName(), head.instanceName(), session, head.modKey(),
          head.expectsResponse(), partial.complete(session));
    }
    if (kind != FLAG_WHOLE && kind != FLAG_PART_HEAD) {
      throw new SkynetFrameException("a request frame with flag 0x" + Integer.toHexString(flag)
          + ", neither whole, head nor part");
    }
    if (length < 4) {
      throw new SkynetFrameException("a request frame of " + length + " bytes, shorter than its names' lengths");
    }
    body.skipBytes(1);
    int packId = body.readUnsignedByte();
    int moduleLength = body.readUnsignedByte();
    int instanceLength = body.readUnsignedByte();
    boolean mod = (flag & FLAG_MOD) != 0;
    int header = 8 + moduleLength + instanceLength + (mod ? 8 : 0) + (kind == FLAG_PART_HEAD ? 4 : 0);
    if (length < header) {
      throw new SkynetFrameException("a request frame of " + length + " bytes, shorter than the " + header
          + " its header needs");
    }
    String module = text(body, moduleLength);
    String instance = text(body, instanceLength);
    long session = body.readUnsignedIntLE();
    long modKey = mod ? body.readLongLE() : 0;
    boolean expectsResponse = (flag & FLAG_RESPONSE) != 0;
    if (partials.containsKey(session)) {
      throw new SkynetFrameException("a request for session " + session + " while its parts are under way");
    }
    if (kind == FLAG_WHOLE) {
      return new SkynetRequest(packId, module, instance, session, modKey, expectsResponse, bytes(body));
    }
    if (length != header) {
      throw new SkynetFrameException("a request head of " + length + " bytes where its header makes " + header);
    }
    SkynetRequest head = new SkynetRequest(packId, module, instance, session, modKey, expectsResponse, new byte[0]);
    start(session, head, body.readUnsignedIntLE());
    return null;
  }

  /**
   * Session, then a flag: 0 failed, 1 whole, 2 head (then the total size, nothing more), 4 part, 8 last part.
   * skynet's client takes a last part with no head for a whole response; so does this decoder.
   */
  private SkynetMessage response(ByteBuf body) {
    int length = body.readableBytes();
    if (length < 5) {
      throw new SkynetFrameException("a response frame of " + length + " bytes, shorter than its 5-byte header");
    }
    long session = body.readUnsignedIntLE();
    int flag = body.readUnsignedByte();
    Partial partial = partials.get(session);
    switch (flag) {
      case FLAG_ERROR:
        partials.remove(session);
        return new SkynetResponse(session, false, bytes(body));
      case FLAG_WHOLE:
        if (partial != null) {
          throw new SkynetFrameException("a whole response for session " + session + " while its parts are under"
              + " way");
        }
        return new SkynetResponse(session, true, bytes(body));
      case FLAG_PART_HEAD:
        if (length != 9) {
          throw new SkynetFrameException("a response head of " + length + " bytes (9 expected)");
        }
        if (partial != null) {
          throw new SkynetFrameException("a second response head for session " + session);
        }
        start(session, null, body.readUnsignedIntLE());
        return null;
      case FLAG_PART:
      case FLAG_PART_END:
        if (partial == null) {
          if (flag == FLAG_PART_END) {
            return new SkynetResponse(session, true, bytes(body));
          }
          throw new SkynetFrameException("a response part for session " + session + ", which has no head");
        }
        partial.append(body, session);
        if (flag == FLAG_PART) {
          return null;
        }
        partials.remove(session);
        return new SkynetResponse(session, true, partial.complete(session));
      default:
        throw new SkynetFrameException("a response frame with flag 0x" + Integer.toHexString(flag));
    }
  }

  /**
   * Whole: flag 1, pack id, session, name length, name, payload. Head: flag 2, total size, pack id, session, name
   * length, name. Part: flag 4 (or 8 for the last), bytes.
   */
  private SkynetMessage push(ByteBuf body) {
    int length = body.readableBytes();
    if (length < 1) {
      throw new SkynetFrameException("an empty push frame");
    }
    int flag = body.readUnsignedByte();
    switch (flag) {
      case FLAG_WHOLE: {
        if (push != null) {
          throw new SkynetFrameException("a whole push while the parts of another are under way");
        }
        if (length < 7 || length < 7 + body.getUnsignedByte(body.readerIndex() + 5)) {
          throw new SkynetFrameException("a push frame of " + length + " bytes, shorter than its header");
        }
        int packId = body.readUnsignedByte();
        long session = body.readUnsignedIntLE();
        String channel = text(body, body.readUnsignedByte());
        return new SkynetPush(packId, session, channel, bytes(body));
      }
      case FLAG_PART_HEAD: {
        if (push != null) {
          throw new SkynetFrameException("a push head while the parts of another are under way");
        }
        if (length < 11 || length != 11 + body.getUnsignedByte(body.readerIndex() + 9)) {
          throw new SkynetFrameException("a push head of " + length + " bytes, not the size its header makes");
        }
        long total = body.readUnsignedIntLE();
        int packId = body.readUnsignedByte();
        long session = body.readUnsignedIntLE();
        String channel = text(body, body.readUnsignedByte());
        checkTotal(total);
        push = new Partial(new SkynetPush(packId, session, channel, new byte[0]), total);
        return null;
      }
      case FLAG_PART:
      case FLAG_PART_END: {
        Partial partial = push;
        if (partial == null) {
          throw new SkynetFrameException("a push part with no head");
        }
        SkynetPush head = (SkynetPush) partial.head;
        partial.append(body, head.session());
        if (flag == FLAG_PART) {
          return null;
        }
        push = null;
        return new SkynetPush(head.packId(), head.session(), head.channelName(), partial.complete(head.session()));
      }
      default:
        throw new SkynetFrameException("a push frame with flag 0x" + Integer.toHexString(flag));
    }
  }

  private void start(long session, SkynetMessage head, long total) {
    checkTotal(total);
    if (partials.size() >= maxPartialMessages) {
      throw new SkynetFrameException("more than " + maxPartialMessages + " messages in parts at once");
    }
    partials.put(session, new Partial(head, total));
  }

  private void checkTotal(long total) {
    if (total > maxMessageSize) {
      throw new SkynetFrameException("a message of " + total + " bytes in parts exceeds the limit of "
          + maxMessageSize);
    }
  }

  private static String text(ByteBuf body, int length) {
    String text = body.toString(body.readerIndex(), length, StandardCharsets.UTF_8);
    body.skipBytes(length);
    return text;
  }

  private static byte[] bytes(ByteBuf body) {
    byte[] bytes = new byte[body.readableBytes()];
    body.readBytes(bytes);
    return bytes;
  }

  /** A message under reassembly: its head, the total its head announced, the parts so far. */
  private static final class Partial {

    final SkynetMessage head;
    final long total;
    final ByteArrayOutputStream parts;

    Partial(SkynetMessage head, long total) {
      this.head = head;
      this.total = total;
      this.parts = new ByteArrayOutputStream((int) Math.min(total, 64 * 1024));
    }

    long received() {
      return parts.size();
    }

    void append(ByteBuf part, long session) {
      int size = part.readableBytes();
      if (parts.size() + (long) size > total) {
        throw new SkynetFrameException("the parts of session " + session + " exceed the " + total
            + " bytes their head announced");
      }
      try {
        part.readBytes(parts, size);
      } catch (java.io.IOException impossible) {
        throw new IllegalStateException(impossible);
      }
    }

    byte[] complete(long session) {
      if (parts.size() != total) {
        throw new SkynetFrameException("the parts of session " + session + " end after " + parts.size()
            + " of the " + total + " bytes their head announced");
      }
      return parts.toByteArray();
    }
  }
}
