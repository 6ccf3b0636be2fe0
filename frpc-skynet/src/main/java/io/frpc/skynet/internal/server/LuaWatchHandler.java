package io.frpc.skynet.internal.server;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.bridge.BridgeConnection;
import io.frpc.bridge.BridgeSubscriber;
import io.frpc.bridge.NodeBridge;
import io.frpc.internal.UntrustedText;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.LuaBoolean;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetFormatException;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Serves a skynet_fly node's watch connection: its subscriptions to this node's channels, as skynet_fly's
 * {@code frpc_server} serves them. {@code sub}/{@code unsub} subscribe to a channel's messages (acknowledged by a
 * push echoing the subscriber's address and name); each message published on it is pushed (pack id 10) as
 * {@code skynet.pack(message)}. {@code subsyn}/{@code psubsyn} follow a state channel, or the state channels matching a
 * pattern, the skynet_fly way: the subscriber names the version it has; when the node's differs it gets one push
 * ({@code pack(version, packstring(value))}, or for a pattern {@code pack(version, {[channel] = true, ...})}) and asks
 * again. All state is touched on the connection's event loop.
 */
final class LuaWatchHandler extends SimpleChannelInboundHandler<SkynetRequest> {

  private static final Logger log = LoggerFactory.getLogger(LuaWatchHandler.class);

  private final NodeId caller;
  private final BridgeConnection channels;
  private final SkynetPack pack;
  private final LuaBinding binding;
  private final LongSupplier pushSessions;
  private final Channel channel;
  /** Channels, state channels and patterns one watch connection may follow, as frpc's own subscribers. */
  static final int MAX_SUBSCRIPTIONS = FrpcNode.DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;

  private int subscriptionIds;
  private boolean reportedDrop;
  /** Message subscriptions by channel. */
  private final Map<String, Integer> messageSubscriptions = new HashMap<>();
  /** State followed, by channel. */
  private final Map<String, FollowedState> states = new HashMap<>();
  /** State patterns followed, by pattern. */
  private final Map<String, FollowedPattern> patterns = new HashMap<>();
  /** Subscription ids to what they serve. */
  private final Map<Integer, Object> byId = new HashMap<>();

  LuaWatchHandler(NodeId caller, NodeBridge node, Channel channel, SkynetPack pack, LuaBinding binding,
      LongSupplier pushSessions) {
    this.caller = caller;
    this.channel = channel;
    this.pack = pack;
    this.binding = binding;
    this.pushSessions = pushSessions;
    this.channels = node.connect(caller, channel.eventLoop(), new Subscriber());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SkynetRequest request) {
    List<LuaValue> values;
    try {
      values = pack.unpack(request.payload());
    } catch (SkynetFormatException e) {
      dropped("Dropped a watch request of " + caller + ": " + e.getMessage());
      return;
    }
    if (values.isEmpty() || !(values.get(0) instanceof LuaString name)) {
      dropped("Dropped a watch request of " + caller + " (pack id " + request.packId() + ") without a channel name");
      return;
    }
    String channelName = name.utf8();
    boolean adds = request.packId() == PackIds.SUB || request.packId() == PackIds.SUBSYN
        || request.packId() == PackIds.PSUBSYN;
    if (adds && byId.size() >= MAX_SUBSCRIPTIONS && !follows(request.packId(), channelName)) {
      dropped("Refused a subscription of " + caller + " to '" + channelName + "': it follows " + MAX_SUBSCRIPTIONS
          + " already");
      return;
    }
    try {
      switch (request.packId()) {
        case PackIds.SUB -> subscribe(channelName, values);
        case PackIds.UNSUB -> unsubscribe(channelName, values);
        case PackIds.SUBSYN -> followState(channelName, version(values));
        case PackIds.UNSUBSYN -> unfollowState(channelName);
        case PackIds.PSUBSYN -> followPattern(channelName, version(values));
        case PackIds.UNPSUBSYN -> unfollowPattern(channelName);
        default -> dropped("Dropped a request of " + caller + " with pack id " + request.packId()
            + " on its watch connection");
      }
    } catch (IllegalArgumentException e) {
      dropped("Refused a subscription of " + caller + " to '" + channelName + "': " + e.getMessage());
    }
  }

  /**
   * Logs a request of the peer that was dropped: the first of the connection at WARN, the others at DEBUG (a peer can
   * send them as fast as it likes).
   */
  private void dropped(String what) {
    String escaped = UntrustedText.escape(what);
    if (!reportedDrop) {
      reportedDrop = true;
      log.warn("{}", escaped);
    } else {
      log.debug("{}", escaped);
    }
  }

  /** Whether this connection already follows {@code channelName} the way {@code packId} asks. */
  private boolean follows(int packId, String channelName) {
    return switch (packId) {
      case PackIds.SUB -> messageSubscriptions.containsKey(channelName);
      case PackIds.SUBSYN -> states.containsKey(channelName);
      default -> patterns.containsKey(channelName);
    };
  }

  private static long version(List<LuaValue> values) {
    return values.size() > 1 && values.get(1) instanceof LuaInteger version ? version.value() : 0;
  }

  private void subscribe(String channelName, List<LuaValue> values) {
    if (!messageSubscriptions.containsKey(channelName)) {
      int id = ++subscriptionIds;
      channels.subscribe(id, channelName, false);
      messageSubscriptions.put(channelName, id);
      byId.put(id, channelName);
    }
    push(PackIds.SUB, channelName, pack.pack(values.subList(1, values.size())));
  }

  private void unsubscribe(String channelName, List<LuaValue> values) {
    Integer id = messageSubscriptions.remove(channelName);
    if (id != null) {
      channels.unsubscribe(id);
      byId.remove(id);
    }
    push(PackIds.UNSUB, channelName, pack.pack(values.subList(1, values.size())));
  }

  private void followState(String channelName, long known) {
    FollowedState state = states.get(channelName);
    if (state == null) {
      state = new FollowedState(channelName, ++subscriptionIds);
      states.put(channelName, state);
      byId.put(state.id, state);
      channels.subscribe(state.id, channelName, true);
    }
    state.wanted = known;
    state.pushIfNewer();
  }

  private void unfollowState(String channelName) {
    FollowedState state = states.remove(channelName);
    if (state != null) {
      channels.unsubscribe(state.id);
      byId.remove(state.id);
    }
  }

  private void followPattern(String pattern, long known) {
    FollowedPattern followed = patterns.get(pattern);
    if (followed == null) {
      followed = new FollowedPattern(pattern, ++subscriptionIds);
      patterns.put(pattern, followed);
      byId.put(followed.id, followed);
      channels.subscribe(followed.id, pattern, true);
    }
    followed.wanted = known;
    followed.pushIfNewer();
  }

  private void unfollowPattern(String pattern) {
    FollowedPattern followed = patterns.remove(pattern);
    if (followed != null) {
      channels.unsubscribe(followed.id);
      byId.remove(followed.id);
    }
  }

  private void push(int packId, String channelName, byte[] payload) {
    channel.writeAndFlush(new SkynetPush(packId, pushSessions.getAsLong(), channelName, payload));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      channels.writable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    channels.close();
    super.channelInactive(ctx);
  }

  /** One state channel a subscriber follows: the version it has, and the latest the node published. */
  private final class FollowedState {
    final String channelName;
    final int id;
    /** The version the subscriber has (0: none); -1 once it was pushed a newer one and has not asked again. */
    long wanted = -1;
    long version;
    JsonNode value;

    FollowedState(String channelName, int id) {
      this.channelName = channelName;
      this.id = id;
    }

    void pushIfNewer() {
      if (wanted < 0 || value == null || version == wanted) {
        return;
      }
      wanted = -1;
      push(PackIds.SUBSYN, channelName, pack.pack(new LuaInteger(version),
          new LuaString(pack.pack(binding.fromTree(value)))));
    }
  }

  /**
   * A state pattern a subscriber follows: the channels matching it that have a state, counted as skynet_fly counts
   * them (its version grows by one with each new channel).
   */
  private final class FollowedPattern {
    final String pattern;
    final int id;
    final Set<String> names = new LinkedHashSet<>();
    long wanted = -1;

    FollowedPattern(String pattern, int id) {
      this.pattern = pattern;
      this.id = id;
    }

    void pushIfNewer() {
      long version = names.size();
      if (wanted < 0 || version == 0 || version == wanted) {
        return;
      }
      wanted = -1;
      LuaTable.Builder table = LuaTable.builder();
      names.forEach(name -> table.put(name, LuaBoolean.TRUE));
      push(PackIds.PSUBSYN, pattern, pack.pack(new LuaInteger(version), table.build()));
    }
  }

  /** Receives the node's publications on the publishing thread and hands them to the event loop. */
  private final class Subscriber implements BridgeSubscriber {

    @Override
    public void message(int subscriptionId, String channelName, JsonNode payload, int dropped) {
      byte[] packed;
      try {
        packed = pack.pack(binding.fromTree(payload));
      } catch (RuntimeException e) {
        log.warn("A message on '{}' has no Lua form for {}: {}", channelName, caller, e.getMessage());
        return;
      }
      channel.eventLoop().execute(() -> {
        if (messageSubscriptions.containsKey(channelName)) {
          push(PackIds.PUBLISH, channelName, packed);
        }
      });
    }

    @Override
    public void state(int subscriptionId, String channelName, long version, JsonNode value) {
      channel.eventLoop().execute(() -> {
        Object followed = byId.get(subscriptionId);
        if (followed instanceof FollowedState state) {
          if (version <= state.version) {
            // the current value sent at subscription, handed over after a newer publication
            return;
          }
          state.version = version;
          state.value = value;
          state.pushIfNewer();
        } else if (followed instanceof FollowedPattern pattern && pattern.names.add(channelName)) {
          pattern.pushIfNewer();
        }
      });
    }

    @Override
    public void rejected(int subscriptionId, String reason) {
      log.warn("A subscription of {} was refused: {}", caller, reason);
    }

    @Override
    public long queuedBytes() {
      ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
      return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }
  }
}
