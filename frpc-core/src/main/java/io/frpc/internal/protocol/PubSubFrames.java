package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The pub/sub frames (feature {@value FrameType#FEATURE_PUBSUB}): a subscriber sends SUBSCRIBE and
 * UNSUBSCRIBE on its connection to the publishing node; the publisher answers with MESSAGE and STATE
 * frames on the same connection, or SUBSCRIBE_REJECT. A subscription is named by an id the subscriber
 * chose, so a published frame lists the ids it is for and carries the payload once.
 */
public final class PubSubFrames {

  /** SUBSCRIBE kind: published messages. */
  public static final byte KIND_MESSAGES = 0;
  /** SUBSCRIBE kind: a state channel's latest value and its later versions. */
  public static final byte KIND_STATE = 1;

  private PubSubFrames() {
  }

  /**
   * A subscriber asks for messages or state of a channel or pattern.
   *
   * @param subscriptionId chosen by the subscriber, unique on its connection
   * @param state          whether this watches a state channel rather than messages
   * @param channel        the channel name or pattern ({@code *} for one segment)
   */
  public record Subscribe(int subscriptionId, boolean state, String channel) {
  }

  /** A subscriber ends subscription {@code subscriptionId}. */
  public record Unsubscribe(int subscriptionId) {
  }

  /** The publisher refused subscription {@code subscriptionId}, for the reason given. */
  public record SubscribeReject(int subscriptionId, String reason) {
  }

  /**
   * A published message or state version, for the subscriptions listed.
   *
   * @param subscriptionIds the subscriptions of the receiving connection it matches
   * @param dropped         per subscription, messages the publisher dropped for it just before this one
   *                        (always 0 for state)
   * @param channel         the channel it was published on
   * @param version         the state version, or -1 for a message
   * @param payload         the encoded value
   */
  public record Publication(int[] subscriptionIds, int[] dropped, String channel, long version, Payload payload) {

    /** Whether this is a state version rather than a message. */
    public boolean isState() {
      return version >= 0;
    }
  }

  /** A SUBSCRIBE frame. */
  public static ByteBuf subscribe(ByteBufAllocator alloc, int subscriptionId, boolean state, String channel) {
    ByteBuf frame = Frames.begin(alloc, FrameType.SUBSCRIBE, 16 + channel.length());
    frame.writeInt(subscriptionId);
    frame.writeByte(state ? KIND_STATE : KIND_MESSAGES);
    RequestEnvelope.writeShortString(frame, channel);
    return Frames.finish(frame);
  }

  /** An UNSUBSCRIBE frame. */
  public static ByteBuf unsubscribe(ByteBufAllocator alloc, int subscriptionId) {
    ByteBuf frame = Frames.begin(alloc, FrameType.UNSUBSCRIBE, 12);
    frame.writeInt(subscriptionId);
    return Frames.finish(frame);
  }

  /** A SUBSCRIBE_REJECT frame; {@code reason} is cut to 80 characters. */
  public static ByteBuf reject(ByteBufAllocator alloc, int subscriptionId, String reason) {
    ByteBuf frame = Frames.begin(alloc, FrameType.SUBSCRIBE_REJECT, 16 + reason.length());
    frame.writeInt(subscriptionId);
    RequestEnvelope.writeShortString(frame, reason.length() > 80 ? reason.substring(0, 80) : reason);
    return Frames.finish(frame);
  }

  /** A MESSAGE frame for {@code count} subscriptions of one connection. */
  public static ByteBuf message(ByteBufAllocator alloc, int[] subscriptionIds, int[] dropped, int count,
      String channel, byte[] payload) {
    ByteBuf frame = Frames.begin(alloc, FrameType.MESSAGE, 8 + 8 * count + channel.length() * 3 + payload.length);
    frame.writeShort(count);
    for (int i = 0; i < count; i++) {
      frame.writeInt(subscriptionIds[i]);
      frame.writeInt(dropped[i]);
    }
    RequestEnvelope.writeShortString(frame, channel);
    frame.writeBytes(payload);
    return Frames.finish(frame);
  }

  /** A STATE frame for {@code count} subscriptions of one connection. */
  public static ByteBuf state(ByteBufAllocator alloc, int[] subscriptionIds, int count, String channel,
      long version, byte[] payload) {
    ByteBuf frame = Frames.begin(alloc, FrameType.STATE, 16 + 4 * count + channel.length() * 3 + payload.length);
    frame.writeShort(count);
    for (int i = 0; i < count; i++) {
      frame.writeInt(subscriptionIds[i]);
    }
    RequestEnvelope.writeShortString(frame, channel);
    frame.writeLong(version);
    frame.writeBytes(payload);
    return Frames.finish(frame);
  }

  static Subscribe readSubscribe(ByteBuf in) {
    int id = in.readInt();
    byte kind = in.readByte();
    if (kind != KIND_MESSAGES && kind != KIND_STATE) {
      throw new ProtocolException("unknown subscription kind " + kind);
    }
    return new Subscribe(id, kind == KIND_STATE, RequestEnvelope.readShortString(in));
  }

  static SubscribeReject readReject(ByteBuf in) {
    return new SubscribeReject(in.readInt(), RequestEnvelope.readShortString(in));
  }

  /** The subscription ids (and, for messages, dropped counts) that start a MESSAGE or STATE frame. */
  static int[][] readIds(ByteBuf in, boolean withDropped) {
    int count = in.readUnsignedShort();
    if (count == 0) {
      throw new ProtocolException("publication for no subscription");
    }
    int[] ids = new int[count];
    int[] dropped = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = in.readInt();
      if (withDropped) {
        dropped[i] = in.readInt();
        if (dropped[i] < 0) {
          throw new ProtocolException("negative dropped count " + dropped[i]);
        }
      }
    }
    return new int[][] {ids, dropped};
  }
}
