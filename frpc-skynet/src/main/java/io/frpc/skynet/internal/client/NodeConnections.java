package io.frpc.skynet.internal.client;

import io.frpc.NoNodeConnectedException;
import io.frpc.NodeId;
import io.frpc.UnknownNodeNameException;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.time.FrpcClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC connections of a client to every node of its static map, one per node: opened by {@link #start()}, kept
 * open (reconnected) until {@link #close()}. Knows which nodes are active, lets calls wait for one, and tells a
 * {@link NodeEvents} listener of each node's transitions, in order, on one thread of its own.
 *
 * <p>It does not own the event loops, the clock or the listener's thread: whoever created them closes them after
 * this.
 */
public final class NodeConnections implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeConnections.class);

  static final AttributeKey<NodeConnection> CONNECTION = AttributeKey.valueOf(NodeConnections.class, "connection");
  private static final SkynetMessageEncoder ENCODER = new SkynetMessageEncoder();

  private final ClientSettings settings;
  private final FrpcClock clock;
  private final SessionCounter sessions;
  private final ExecutorService events;
  private final NodeEvents listener;
  /** Connections by svr_name, then svr_id; fixed at construction. */
  private final Map<String, TreeMap<Integer, NodeConnection>> byName;
  /** Calls waiting for a node to become active. */
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * Connections to {@code nodes} (not opened yet).
   *
   * @param events the thread that calls {@code listener}, one task at a time
   */
  public NodeConnections(ClientSettings settings, List<RemoteNodeSettings> nodes, EventLoopGroup group,
      FrpcClock clock, SessionCounter sessions, SkynetHandshake handshake, ExecutorService events,
      NodeEvents listener) {
    this.settings = settings;
    this.clock = clock;
    this.sessions = sessions;
    this.events = events;
    this.listener = listener;
    Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            NodeConnection connection = channel.attr(CONNECTION).get();
            ChannelPipeline pipeline = channel.pipeline();
            pipeline.addLast("frames", SkynetMessageDecoder.lengthPrefixDecoder());
            pipeline.addLast("messages", new SkynetMessageDecoder(SkynetMessageDecoder.Direction.RESPONSES,
                settings.maxMessageSize(), settings.maxPartialMessages()));
            pipeline.addLast("encoder", ENCODER);
            handshake.install(pipeline, settings.self(), connection.node(), sessions::next);
            pipeline.addLast("dispatcher", new ResponseDispatcher(connection, handshake,
                settings.handshakeTimeout().toNanos(), settings.maxPendingCalls()));
          }
        });
    Map<String, TreeMap<Integer, NodeConnection>> connections = new TreeMap<>();
    for (RemoteNodeSettings node : nodes) {
      NodeConnection connection = new NodeConnection(node, this, bootstrap, settings.reconnectDelay().toNanos());
      if (connections.computeIfAbsent(node.id().name(), name -> new TreeMap<>()).put(node.id().id(), connection)
          != null) {
        throw new IllegalArgumentException("skynet node " + node.id() + " is in the node map twice");
      }
    }
    this.byName = Collections.unmodifiableMap(connections);
  }

  public ClientSettings settings() {
    return settings;
  }

  public FrpcClock clock() {
    return clock;
  }

  public SessionCounter sessions() {
    return sessions;
  }

  /** Opens every connection; the nodes become active as their handshakes complete. */
  public void start() {
    if (started.compareAndSet(false, true)) {
      byName.values().forEach(nodes -> nodes.values().forEach(NodeConnection::connect));
    }
  }

  /** Whether a node of the name is active. */
  public boolean isActive(String svrName) {
    return !activeIds(svrName).isEmpty();
  }

  /** Whether node {@code svrName:svrId} is active. */
  public boolean isActive(String svrName, int svrId) {
    NodeConnection connection = byName.getOrDefault(svrName, new TreeMap<>()).get(svrId);
    return connection != null && connection.active() != null;
  }

  /** The ids of the active nodes of the name, ascending. */
  public SortedSet<Integer> activeIds(String svrName) {
    SortedSet<Integer> ids = new TreeSet<>();
    for (NodeConnection connection : byName.getOrDefault(svrName, new TreeMap<>()).values()) {
      if (connection.active() != null) {
        ids.add(connection.node().id().id());
      }
    }
    return ids;
  }

  /** The active connections of the name (or of node {@code svrId} only, when not null), in id order. */
  List<NodeConnection.Active> active(String svrName, Integer svrId) {
    List<NodeConnection.Active> active = new ArrayList<>();
    for (NodeConnection connection : byName.getOrDefault(svrName, new TreeMap<>()).values()) {
      NodeConnection.Active connected = connection.active();
      if (connected != null && (svrId == null || connection.node().id().id() == svrId)) {
        active.add(connected);
      }
    }
    return active;
  }

  /**
   * The active connections of the name (or of node {@code svrId}), now or as soon as one is active, at most
   * {@link ClientSettings#connectWait()} from now; then {@link NoNodeConnectedException}. A name or id not in the
   * map fails at once.
   */
  CompletableFuture<List<NodeConnection.Active>> awaitActive(String svrName, Integer svrId) {
    TreeMap<Integer, NodeConnection> nodes = byName.get(svrName);
    if (nodes == null) {
      return CompletableFuture.failedFuture(new UnknownNodeNameException(svrName, svrId,
          "it is not in the skynet node map, which has " + byName.keySet()));
    }
    if (svrId != null && !nodes.containsKey(svrId)) {
      return CompletableFuture.failedFuture(NoActiveNodeException.notInMap(svrName, svrId, nodes.keySet()));
    }
    List<NodeConnection.Active> now = active(svrName, svrId);
    if (!now.isEmpty()) {
      return CompletableFuture.completedFuture(now);
    }
    Waiter waiter = new Waiter(svrName, svrId);
    waiters.add(waiter);
    waiter.deadline = clock.schedule(() -> {
      if (waiters.remove(waiter)) {
        waiter.future.completeExceptionally(new NoActiveNodeException(svrName, svrId, settings.connectWait(),
            lastFailures(svrName, svrId)));
      }
    }, settings.connectWait().toNanos(), TimeUnit.NANOSECONDS);
    offer(waiter);
    return waiter.future;
  }

  /** Why the nodes of the name (or node {@code svrId}) last failed to connect, as {@code id: reason; ...}. */
  private String lastFailures(String svrName, Integer svrId) {
    StringBuilder failures = new StringBuilder();
    for (NodeConnection connection : byName.getOrDefault(svrName, new TreeMap<>()).values()) {
      String failure = connection.lastFailure();
      if (failure != null && (svrId == null || connection.node().id().id() == svrId)) {
        failures.append(failures.length() == 0 ? "" : "; ").append(connection.node().id()).append(": ")
            .append(failure);
      }
    }
    return failures.toString();
  }

  private void offer(Waiter waiter) {
    List<NodeConnection.Active> now = active(waiter.svrName, waiter.svrId);
    if (!now.isEmpty() && waiters.remove(waiter)) {
      FrpcClock.ScheduledTask deadline = waiter.deadline;
      if (deadline != null) {
        deadline.cancel();
      }
      waiter.future.complete(now);
    }
  }

  void nodeUp(NodeConnection connection) {
    for (Waiter waiter : waiters) {
      offer(waiter);
    }
    notify(connection.node().id(), true);
  }

  void nodeDown(NodeConnection connection) {
    notify(connection.node().id(), false);
  }

  private void notify(NodeId node, boolean up) {
    try {
      events.execute(() -> {
        try {
          if (up) {
            listener.nodeUp(node);
          } else {
            listener.nodeDown(node);
          }
        } catch (RuntimeException e) {
          log.warn("skynet node listener failed on {} {}", node, up ? "up" : "down", e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      log.debug("skynet node {} {} not told: the listener's thread is shut down", node, up ? "up" : "down");
    }
  }

  /** Closes every connection (their pending calls fail) and stops reconnecting; waiting calls fail now. */
  @Override
  public void close() {
    byName.values().forEach(nodes -> nodes.values().forEach(NodeConnection::close));
    for (Waiter waiter : waiters) {
      if (waiters.remove(waiter)) {
        waiter.future.completeExceptionally(new NoNodeConnectedException(waiter.svrName, waiter.svrId,
            settings.connectWait(), "the skynet client is closed"));
      }
    }
  }

  private static final class Waiter {
    final String svrName;
    final Integer svrId;
    final CompletableFuture<List<NodeConnection.Active>> future = new CompletableFuture<>();
    volatile FrpcClock.ScheduledTask deadline;

    Waiter(String svrName, Integer svrId) {
      this.svrName = svrName;
      this.svrId = svrId;
    }
  }
}
