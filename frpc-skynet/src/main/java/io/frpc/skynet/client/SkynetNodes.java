package io.frpc.skynet.client;

import io.frpc.NodeId;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.client.ClientSettings;
import io.frpc.skynet.internal.client.NodeConnections;
import io.frpc.skynet.internal.client.NodeEvents;
import io.frpc.skynet.internal.client.RemoteNodeSettings;
import io.frpc.skynet.internal.client.SessionCounter;
import io.frpc.skynet.internal.client.SkynetCalls;
import io.frpc.skynet.internal.client.SkynetHandshake;
import io.frpc.skynet.internal.client.SkynetWatches;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.time.FrpcClock;
import io.frpc.time.SystemClock;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This Java node's RPC connections to the skynet_fly nodes of a static node map, as skynet_fly's
 * {@code frpc_client_m} keeps them: one connection per node, opened by {@link #start()}, each introduced by the
 * handshake with this node's own svr_name and svr_id, and reconnected about every second after a failure or a
 * close. A node is active once its handshake completed. {@link #template()} calls the modules of active nodes;
 * {@link #channels(String)} subscribes to the channels and states they publish (over a second, "watch" connection
 * per node, opened on the first subscription).
 * <pre>{@code
 * try (SkynetNodes skynet = SkynetNodes.builder("java_node", 1)
 *     .node(SkynetRemoteNode.of("game", 1, "10.0.0.5:9688"))
 *     .node(SkynetRemoteNode.of("game", 2, "10.0.0.6:9688").withSecretKey("k"))
 *     .build()) {
 *   skynet.start();
 *   int sum = skynet.template().module("game", "room_m").mod(roomId).call("add", Integer.class, 1, 2);
 * }
 * }</pre>
 * Thread-safe. {@link #close()} closes the connections (pending calls fail with
 * {@link io.frpc.ConnectionLostException}) and the threads and clock it created, not those it was given.
 */
public final class SkynetNodes implements AutoCloseable {

  /** The default connect wait: 3 seconds, as frpc's {@code frpc.client.connect-wait}. */
  public static final Duration DEFAULT_CONNECT_WAIT = Duration.ofSeconds(3);
  /** The default delay between connection attempts: 1 second, as skynet_fly's client, varied by up to 20%. */
  public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(1);
  /** The default TCP connect timeout: 3 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  /** The default handshake timeout: 10 seconds, as long as a skynet_fly server waits for one. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  /** The default bound of the calls awaiting a response on one connection. */
  public static final int DEFAULT_MAX_PENDING_CALLS = 10_000;
  /** The default largest response payload: 16 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = SkynetMessageDecoder.DEFAULT_MAX_MESSAGE_SIZE;
  /** The default backlog of a subscription's listener: 10,000 messages, as frpc's subscriber backlog. */
  public static final int DEFAULT_SUBSCRIBER_BACKLOG = 10_000;
  /** The default bound of the channels, state channels and patterns followed on one node's watch connection. */
  public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 10_000;

  private final NodeConnections connections;
  private final SkynetTemplate template;
  private final SkynetWatches watches;
  private final LuaBinding binding;
  private final ExecutorService ownListenerExecutor;
  /** Binds replies and completes the futures of calls: as many threads as cores, as frpc's own callbacks. */
  private final ExecutorService callbacks;
  private final EventLoopGroup ownGroup;
  private final SystemClock ownClock;
  private final ExecutorService events;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SkynetNodes(Builder builder) {
    ClientSettings settings = new ClientSettings(new NodeId(builder.svrName, builder.svrId), builder.connectWait,
        builder.reconnectDelay, builder.connectTimeout, builder.handshakeTimeout, builder.maxPendingCalls,
        builder.maxMessageSize, SkynetMessageDecoder.DEFAULT_MAX_PARTIAL_MESSAGES);
    List<RemoteNodeSettings> nodes = new ArrayList<>();
    for (SkynetRemoteNode node : builder.nodes) {
      nodes.add(settings(node));
    }
    this.ownGroup = builder.group == null ? new MultiThreadIoEventLoopGroup(builder.ioThreads,
        new DefaultThreadFactory("frpc-skynet-io", true), NioIoHandler.newFactory()) : null;
    this.ownClock = builder.clock == null ? new SystemClock("skynet") : null;
    this.events = Executors.newSingleThreadExecutor(new DefaultThreadFactory("frpc-skynet-events", true));
    this.ownListenerExecutor = builder.listenerExecutor == null
        ? Executors.newCachedThreadPool(new DefaultThreadFactory("frpc-skynet-listeners", true)) : null;
    SkynetNodeListener listener = builder.listener;
    EventLoopGroup group = builder.group == null ? ownGroup : builder.group;
    FrpcClock clock = builder.clock == null ? ownClock : builder.clock;
    SessionCounter sessions = new SessionCounter();
    SkynetPack pack = SkynetPack.withMaxBytes(builder.maxMessageSize);
    this.binding = builder.binding;
    this.watches = new SkynetWatches(settings, nodes, group, clock, sessions, pack,
        builder.listenerExecutor == null ? ownListenerExecutor : builder.listenerExecutor, builder.subscriberBacklog,
        builder.maxSubscriptionsPerConnection);
    this.connections = new NodeConnections(settings, nodes, group, clock, sessions,
        SkynetHandshake.skynetFly(builder.handshakeTimeout), events,
        new NodeEvents() {
          @Override
          public void nodeUp(NodeId node) {
            watches.nodeUp(node);
            listener.nodeUp(node);
          }

          @Override
          public void nodeDown(NodeId node) {
            watches.nodeDown(node);
            listener.nodeDown(node);
          }
        });
    this.callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("frpc-skynet-callbacks", true));
    // once closed, what still completes (calls failed by the closing connections) completes where it fails
    Executor completions = task -> {
      try {
        callbacks.execute(task);
      } catch (RejectedExecutionException closing) {
        task.run();
      }
    };
    this.template = new SkynetTemplate(new SkynetCalls(connections, pack, builder.binding, completions));
  }

  private static RemoteNodeSettings settings(SkynetRemoteNode node) {
    return new RemoteNodeSettings(new NodeId(node.svrName(), node.svrId()), node.host(), node.port(),
        node.secretKey(), node.encrypt());
  }

  /**
   * Makes {@code svrName} a name this client calls even before a node of it is known (one a registry will report):
   * calls to it then wait for a node (the connect wait) instead of failing with {@code UnknownNodeNameException}.
   */
  public void declare(String svrName) {
    connections.declare(svrName);
    watches.declare(svrName);
  }

  /**
   * Adds a node to the node map, connected at once when the client runs, as found in a registry (skynet_fly's
   * Redis registry); a node already in the map with the same settings is left as it is, with others (a new address
   * or secret) replaced: its connection closes and its pending calls fail.
   */
  public void addNode(SkynetRemoteNode node) {
    RemoteNodeSettings settings = settings(node);
    synchronized (this) {
      if (connections.add(settings)) {
        watches.add(settings);
      }
    }
  }

  /**
   * Removes node {@code svrName:svrId} from the node map: its connections close, its pending calls fail with
   * {@code ConnectionLostException}, and subscriptions to its name go on with the other nodes.
   */
  public void removeNode(String svrName, int svrId) {
    NodeId node = new NodeId(svrName, svrId);
    synchronized (this) {
      if (connections.remove(node)) {
        watches.remove(node);
      }
    }
  }

  /**
   * Starts the settings of a client node named {@code svrName} with id {@code svrId}: the identity it gives in
   * each handshake (skynet_fly's {@code svr_name} and {@code svr_id}).
   */
  public static Builder builder(String svrName, int svrId) {
    return new Builder(svrName, svrId);
  }

  /** Opens the connection to every node of the map; calls wait for them (the connect wait). Idempotent. */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("SkynetNodes is closed");
    }
    connections.start();
  }

  /** The calls to the nodes' modules. */
  public SkynetTemplate template() {
    return template;
  }

  /**
   * Subscriptions to the channels of the nodes named {@code svrName} (skynet_fly's {@code watch_client} and
   * {@code watch_syn_client}): one watch connection per node, opened on the first subscription once the node is
   * active, closed with the last one.
   *
   * @throws io.frpc.UnknownNodeNameException (when subscribing) if no node of the map has this name
   */
  public SkynetChannels channels(String svrName) {
    return new SkynetChannels(watches, binding, svrName, null);
  }

  /** Whether a node named {@code svrName} is active. */
  public boolean isActive(String svrName) {
    return connections.isActive(svrName);
  }

  /** Whether node {@code svrName:svrId} is active. */
  public boolean isActive(String svrName, int svrId) {
    return connections.isActive(svrName, svrId);
  }

  /** The ids of the active nodes named {@code svrName}, ascending. */
  public SortedSet<Integer> activeNodeIds(String svrName) {
    return connections.activeIds(svrName);
  }

  /**
   * Closes the connections (their pending calls fail, waiting calls fail), then the event loops and the clock
   * this instance created. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    watches.close();
    connections.close();
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (ownClock != null) {
      ownClock.close();
    }
    events.shutdown();
    callbacks.shutdown();
    if (ownListenerExecutor != null) {
      ownListenerExecutor.shutdown();
    }
  }

  /** Settings of {@link SkynetNodes}; not thread-safe. */
  public static final class Builder {

    private final String svrName;
    private final int svrId;
    private final List<SkynetRemoteNode> nodes = new ArrayList<>();
    private EventLoopGroup group;
    private int ioThreads = 1;
    private FrpcClock clock;
    private SkynetNodeListener listener = new SkynetNodeListener() { };
    private Duration connectWait = DEFAULT_CONNECT_WAIT;
    private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private int maxPendingCalls = DEFAULT_MAX_PENDING_CALLS;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private LuaBinding binding = LuaBinding.create();
    private Executor listenerExecutor;
    private int subscriberBacklog = DEFAULT_SUBSCRIBER_BACKLOG;
    private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;

    private Builder(String svrName, int svrId) {
      this.svrName = Objects.requireNonNull(svrName, "svrName");
      if (svrName.isBlank()) {
        throw new IllegalArgumentException("svrName (this node's skynet_fly svr_name) must not be blank");
      }
      this.svrId = svrId;
    }

    /** Adds a node of the node map. */
    public Builder node(SkynetRemoteNode node) {
      nodes.add(Objects.requireNonNull(node, "node"));
      return this;
    }

    /** Adds nodes of the node map. */
    public Builder nodes(List<SkynetRemoteNode> more) {
      more.forEach(this::node);
      return this;
    }

    /**
     * Runs the connections on these NIO event loops, owned by the caller and not shut down by
     * {@link SkynetNodes#close()}; by default it creates its own ({@link #ioThreads}).
     */
    public Builder eventLoopGroup(EventLoopGroup eventLoops) {
      this.group = Objects.requireNonNull(eventLoops, "eventLoops");
      return this;
    }

    /** The number of event loops it creates when given none: 1 by default. */
    public Builder ioThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("ioThreads must be positive, was " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * The clock of call timeouts and connect waits, owned by the caller; by default a system clock of its own.
     */
    public Builder clock(FrpcClock frpcClock) {
      this.clock = Objects.requireNonNull(frpcClock, "clock");
      return this;
    }

    /** Told of nodes becoming active and inactive. */
    public Builder listener(SkynetNodeListener nodeListener) {
      this.listener = Objects.requireNonNull(nodeListener, "listener");
      return this;
    }

    /**
     * How long a call or send waits for an active node before failing with
     * {@link io.frpc.NoNodeConnectedException}; {@link #DEFAULT_CONNECT_WAIT} by default.
     */
    public Builder connectWait(Duration wait) {
      this.connectWait = Objects.requireNonNull(wait, "connectWait");
      return this;
    }

    /** The delay before reconnecting a node, varied by up to 20%; {@link #DEFAULT_RECONNECT_DELAY} by default. */
    public Builder reconnectDelay(Duration delay) {
      this.reconnectDelay = Objects.requireNonNull(delay, "reconnectDelay");
      return this;
    }

    /** How long a TCP connect may take; {@link #DEFAULT_CONNECT_TIMEOUT} by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long a handshake may take before the connection is closed (and reconnected later);
     * {@link #DEFAULT_HANDSHAKE_TIMEOUT} by default. A node whose security settings differ from this map's entry
     * answers nothing: its connection fails after this long.
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
      return this;
    }

    /**
     * How many calls may await their responses on one connection; a call beyond fails at once with an
     * {@link io.frpc.FrpcException}. {@link #DEFAULT_MAX_PENDING_CALLS} by default.
     */
    public Builder maxPendingCalls(int max) {
      this.maxPendingCalls = max;
      return this;
    }

    /**
     * The largest response payload taken (whole, or reassembled from its parts); a larger one closes the
     * connection. {@link #DEFAULT_MAX_MESSAGE_SIZE} by default.
     */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    /**
     * Runs the listeners of {@link SkynetNodes#channels(String) subscriptions}, each subscription's one at a time;
     * owned by the caller. By default a cached pool of daemon threads of its own, shut down by
     * {@link SkynetNodes#close()}.
     */
    public Builder listenerExecutor(Executor executor) {
      this.listenerExecutor = Objects.requireNonNull(executor, "listenerExecutor");
      return this;
    }

    /**
     * Messages one subscription may queue for a listener that is behind; more are dropped and counted.
     * {@link #DEFAULT_SUBSCRIBER_BACKLOG} by default. State versions do not count: a newer one replaces the queued.
     */
    public Builder subscriberBacklog(int messages) {
      this.subscriberBacklog = messages;
      return this;
    }

    /**
     * Channels, state channels and patterns followed on one node's watch connection (each once, however many
     * subscriptions share it); a subscription beyond is refused on that node ({@code refused} of its listener).
     * {@link #DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION} by default.
     */
    public Builder maxSubscriptionsPerConnection(int max) {
      this.maxSubscriptionsPerConnection = max;
      return this;
    }

    /** Binds arguments and results; {@link LuaBinding#create()} by default. */
    public Builder binding(LuaBinding luaBinding) {
      this.binding = Objects.requireNonNull(luaBinding, "binding");
      return this;
    }

    /**
     * The client, not connected yet: see {@link SkynetNodes#start()}.
     *
     * @throws IllegalArgumentException when a node is in the map twice or a bound is not positive
     */
    public SkynetNodes build() {
      java.util.Set<NodeId> ids = new java.util.HashSet<>();
      for (SkynetRemoteNode node : nodes) {
        if (!ids.add(new NodeId(node.svrName(), node.svrId()))) {
          throw new IllegalArgumentException("skynet node " + node.svrName() + ":" + node.svrId()
              + " is in the node map twice: give each svr_name and svr_id once");
        }
      }
      if (maxPendingCalls < 1 || maxMessageSize < 1 || subscriberBacklog < 1 || maxSubscriptionsPerConnection < 1) {
        throw new IllegalArgumentException("maxPendingCalls, maxMessageSize, subscriberBacklog and"
            + " maxSubscriptionsPerConnection must be positive, were " + maxPendingCalls + ", " + maxMessageSize
            + ", " + subscriberBacklog + " and " + maxSubscriptionsPerConnection);
      }
      return new SkynetNodes(this);
    }
  }
}
