package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import io.frpc.UnknownNodeNameException;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.handshake.SkynetClientHandshake;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.time.FrpcClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * This node's subscriptions to the channels of the skynet_fly nodes of its map, over one watch connection per node
 * ({@link WatchConnection}), opened with the handshake's {@code is_watch} once the node's RPC connection is active
 * and a subscription wants it. On the wire it presents itself as one skynet_fly subscriber: skynet address
 * {@link #ADDRESS} and unique name {@code frpc-java:<svr_name>:<svr_id>}, which the node only echoes back in its
 * acknowledgements; the fan-out to Java listeners happens here.
 *
 * <p>Thread-safe; {@link #nodeUp}/{@link #nodeDown} are called in order by the client's node events.
 */
public final class SkynetWatches implements AutoCloseable {

  /**
   * The skynet service address this node gives as {@code source_address} of its {@code sub}/{@code unsub}: any
   * non-zero value works, a skynet_fly node echoes it back without using it; this one (the last service handle of
   * harbor 0) is the same for every Java node, so captures are stable.
   */
  public static final int ADDRESS = 0x00ffffff;

  static final AttributeKey<WatchConnection> CONNECTION = AttributeKey.valueOf(SkynetWatches.class, "watch");
  private static final SkynetMessageEncoder ENCODER = new SkynetMessageEncoder();

  private final SessionCounter sessions;
  private final String uniqueName;
  private final Executor executor;
  private final int backlog;
  /** Watch connections by svr_name, then svr_id; fixed at construction. */
  private final Map<String, TreeMap<Integer, WatchConnection>> byName;

  /**
   * The watch connections to {@code nodes} (none opened yet).
   *
   * @param executor runs the listeners, each subscription's one task at a time
   * @param backlog the messages one subscription may queue for its listener; more are dropped and counted
   * @param maxSubscriptions the channels, state channels and patterns one watch connection may follow
   */
  public SkynetWatches(ClientSettings settings, List<RemoteNodeSettings> nodes, EventLoopGroup group, FrpcClock clock,
      SessionCounter sessions, SkynetPack pack, Executor executor, int backlog, int maxSubscriptions) {
    if (backlog < 1 || maxSubscriptions < 1) {
      throw new IllegalArgumentException("subscriberBacklog and maxSubscriptionsPerConnection must be positive, were "
          + backlog + " and " + maxSubscriptions);
    }
    this.sessions = sessions;
    this.uniqueName = "frpc-java:" + settings.self().name() + ":" + settings.self().id();
    this.executor = executor;
    this.backlog = backlog;
    SecureRandom random = new SecureRandom();
    Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            WatchConnection connection = channel.attr(CONNECTION).get();
            RemoteNodeSettings node = connection.node();
            ChannelPipeline pipeline = channel.pipeline();
            pipeline.addLast("frames", SkynetMessageDecoder.lengthPrefixDecoder());
            pipeline.addLast("messages", new SkynetMessageDecoder(SkynetMessageDecoder.Direction.RESPONSES,
                settings.maxMessageSize(), settings.maxPartialMessages()));
            pipeline.addLast("encoder", ENCODER);
            pipeline.addLast("handshake", new SkynetClientHandshake(settings.self().name(), settings.self().id(),
                new SkynetSecurity(node.secretKey(), node.encrypt()), true, sessions::next, random,
                settings.handshakeTimeout()));
            pipeline.addLast("watch", new WatchHandler(connection,
                new PushSessions(clock, PushSessions.WINDOW_NANOS, PushSessions.MAX_SESSIONS),
                settings.maxMessageSize(), settings.maxPartialMessages()));
          }
        });
    Map<String, TreeMap<Integer, WatchConnection>> connections = new TreeMap<>();
    for (RemoteNodeSettings node : nodes) {
      connections.computeIfAbsent(node.id().name(), name -> new TreeMap<>()).put(node.id().id(),
          new WatchConnection(node, bootstrap, this, pack, settings.reconnectDelay().toNanos(), maxSubscriptions));
    }
    this.byName = Collections.unmodifiableMap(connections);
  }

  /** The unique name this node gives in its {@code sub}/{@code unsub}: {@code frpc-java:<svr_name>:<svr_id>}. */
  public String uniqueName() {
    return uniqueName;
  }

  int address() {
    return ADDRESS;
  }

  long nextSession() {
    return sessions.next();
  }

  /**
   * Subscribes {@code listener} to the messages published on {@code channel} by the nodes named {@code svrName}
   * (node {@code svrId} only, when not null), now and whenever they are active.
   */
  public Subscription messages(String svrName, Integer svrId, String channel, WatchListener listener) {
    return subscribe(WatchSubscription.Kind.MESSAGES, svrName, svrId, channel, listener);
  }

  /**
   * Follows state channel {@code channel} of those nodes, or with a {@code *} in it, every state channel matching
   * the pattern (skynet_fly's {@code psubsyn}: each {@code *} stands for one whole {@code :}-separated part).
   */
  public Subscription states(String svrName, Integer svrId, String channel, WatchListener listener) {
    return subscribe(channel.contains("*") ? WatchSubscription.Kind.STATE_PATTERN : WatchSubscription.Kind.STATE,
        svrName, svrId, channel, listener);
  }

  private Subscription subscribe(WatchSubscription.Kind kind, String svrName, Integer svrId, String channel,
      WatchListener listener) {
    if (channel.isEmpty() || channel.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("a skynet_fly channel name must be 1 to 255 bytes of UTF-8, was '"
          + channel + "'");
    }
    TreeMap<Integer, WatchConnection> nodes = byName.get(svrName);
    if (nodes == null) {
      throw new UnknownNodeNameException(svrName, svrId, "it is not in the skynet node map, which has "
          + byName.keySet());
    }
    if (svrId != null && !nodes.containsKey(svrId)) {
      throw NoActiveNodeException.notInMap(svrName, svrId, nodes.keySet());
    }
    List<WatchConnection> on = new ArrayList<>(svrId == null ? nodes.values() : List.of(nodes.get(svrId)));
    WatchSubscription[] self = new WatchSubscription[1];
    self[0] = new WatchSubscription(kind, channel, listener, executor, backlog,
        () -> on.forEach(connection -> connection.remove(self[0])));
    on.forEach(connection -> connection.add(self[0]));
    return self[0];
  }

  /** The RPC connection of {@code node} became active: its watch connection opens if something is followed. */
  public void nodeUp(NodeId node) {
    connection(node).ifPresent(connection -> connection.nodeActive(true));
  }

  /** The RPC connection of {@code node} closed: so does its watch connection, until the node is active again. */
  public void nodeDown(NodeId node) {
    connection(node).ifPresent(connection -> connection.nodeActive(false));
  }

  private java.util.Optional<WatchConnection> connection(NodeId node) {
    return java.util.Optional.ofNullable(byName.getOrDefault(node.name(), new TreeMap<>()).get(node.id()));
  }

  /** Closes every watch connection and stops reopening them; subscriptions stay, receiving nothing. */
  @Override
  public void close() {
    byName.values().forEach(nodes -> nodes.values().forEach(WatchConnection::close));
  }
}
