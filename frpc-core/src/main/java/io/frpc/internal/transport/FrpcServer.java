package io.frpc.internal.transport;

import io.frpc.FrpcConfigurationException;
import io.frpc.NodeId;
import io.frpc.Transport;
import io.frpc.internal.protocol.InboundBudget;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.security.SharedSecrets;
import io.frpc.observability.FrpcObserver;
import io.frpc.time.FrpcClock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's listener: accepts connections, admits them by handshake and serves their requests. */
public final class FrpcServer {

  private static final Logger log = LoggerFactory.getLogger(FrpcServer.class);

  /** Outbound bytes queued per connection before it stops being writable; bounds how long a large
   * message can hold back a small one. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  private final NodeId self;
  private final String bootId;
  private final ServerSettings settings;
  private final TransportSettings transport;
  private final ConnectionLimits limits;
  private final InboundBudget budget;
  private final TransportResources resources;
  private final PayloadCodec codec;
  private final InboundRequestHandler dispatcher;
  private final ServedChannels pubsub;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final Refusals refusals;
  private final ConnectionErrors errors;
  /** Reports the lines held back by the rate-limited logs once a minute while listening. */
  private volatile FrpcClock.ScheduledTask summaries;
  private final HandshakeSlots handshaking;
  private final HandshakeRate handshakeRate;
  private final AdmittedPeers peers = new AdmittedPeers();
  private final SharedSecrets secrets;
  private final Tls tls;
  private volatile Channel serverChannel;

  /**
   * @param budget  the node-wide memory for unfinished inbound messages, shared with the client side
   * @param secrets how connecting nodes are authenticated
   * @param tls     whether the listener speaks TLS
   */
  public FrpcServer(NodeId self, String bootId, ServerSettings settings, TransportSettings transport,
      ConnectionLimits limits, InboundBudget budget, SharedSecrets secrets, Tls tls, TransportResources resources,
      PayloadCodec codec, InboundRequestHandler dispatcher, ServedChannels pubsub, FrpcObserver observer) {
    this.refusals = new Refusals(log, observer, resources.clock());
    this.errors = new ConnectionErrors(log, resources.clock());
    this.handshaking = new HandshakeSlots(limits, refusals);
    this.handshakeRate = new HandshakeRate(limits.handshakeRatePerAddress(), resources.clock());
    this.secrets = secrets;
    this.tls = tls;
    this.self = self;
    this.bootId = bootId;
    this.settings = settings;
    this.transport = transport;
    this.limits = limits;
    this.budget = budget;
    this.resources = resources;
    this.codec = codec;
    this.dispatcher = dispatcher;
    this.pubsub = pubsub;
  }

  /**
   * Binds the listener.
   *
   * @throws FrpcConfigurationException when the address cannot be bound
   */
  public synchronized void start() {
    if (serverChannel != null) {
      return;
    }
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(resources.ioGroup())
        .handler(new AcceptFailures(log, resources.clock()))
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            resources.track(ch);
            admit(ch);
          }
        });
    transport.applySocketBuffers(bootstrap, true);
    String address;
    ChannelFuture bind;
    if (transport.inJvm()) {
      LocalAddress local = InJvmAddresses.of(self);
      address = Transport.IN_JVM_HOST + " (" + local + ")";
      bind = bootstrap.channel(LocalServerChannel.class).bind(local).awaitUninterruptibly();
      if (!bind.isSuccess()) {
        throw new FrpcConfigurationException("frpc.node.id", "frpc node " + self + " cannot listen in this JVM: "
            + "another node " + self + " on the in-JVM transport is running in it (" + bind.cause().getMessage()
            + ")", "close that node first, or give this one another name or id", bind.cause());
      }
    } else {
      bind = bootstrap.channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .bind(settings.host(), settings.port()).awaitUninterruptibly();
      if (!bind.isSuccess()) {
        throw new FrpcConfigurationException("frpc.server.port", "frpc node " + self + " cannot listen on "
            + settings.host() + ":" + settings.port() + ": " + bind.cause().getMessage(), "set frpc.server.port to a "
            + "free port (0 picks one) or frpc.server.host to an address of this machine, or stop the process "
            + "using the port", bind.cause());
      }
      int port = ((InetSocketAddress) bind.channel().localAddress()).getPort();
      address = (settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host()) + ":" + port;
    }
    serverChannel = bind.channel();
    resources.track(serverChannel);
    scheduleSummaries();
    log.info("frpc node {} listening on {} (TLS: {}, shared secret: {})", self, address, tls.serves() ? "on" : "off",
        secrets.serverRequiresAuthentication() ? "set" : "not set");
    if (exposedWithoutSecret()) {
      log.warn("frpc node {} is reachable beyond loopback without a shared secret (listening on {}): any process "
          + "that reaches the port can call every module of this node and subscribe to its channels. Set "
          + "frpc.security.secret (the same on every node of the cluster), or bind the listener to loopback with "
          + "frpc.server.host=127.0.0.1 when only this machine calls it", self, address);
    }
  }

  /**
   * Whether the listener is bound to an address other than loopback (all interfaces included) and admits nodes
   * without a shared secret; {@code false} when not bound.
   */
  public boolean exposedWithoutSecret() {
    Channel channel = serverChannel;
    return channel != null && !secrets.serverRequiresAuthentication()
        && channel.localAddress() instanceof InetSocketAddress bound && !bound.getAddress().isLoopbackAddress();
  }

  /**
   * Sets up an accepted connection, or closes it at once when its address opens connections faster than the
   * handshake rate, or when the listener is at its connection limit and every connection has completed the
   * handshake. A connection that exceeds a limit of connections in the handshake closes the oldest such
   * connection instead (see {@link HandshakeSlots}).
   */
  private void admit(Channel ch) {
    InetSocketAddress remote = ch.remoteAddress() instanceof InetSocketAddress inet ? inet : InJvmAddresses.PEER;
    if (!handshakeRate.tryAcquire(remote.getAddress())) {
      refusals.refused("frpc.server.handshake-rate-per-address", "Refusing connection from " + remote
          + ": more than " + limits.handshakeRatePerAddress() + " new connections a second from "
          + remote.getAddress().getHostAddress() + " (frpc.server.handshake-rate-per-address)");
      ch.close();
      return;
    }
    if (connections.incrementAndGet() > limits.maxConnections() && !handshaking.evictOldest(remote)) {
      connections.decrementAndGet();
      refusals.refused("frpc.server.max-connections", "Refusing connection from " + remote
          + ": the limit of " + limits.maxConnections() + " open connections is reached and all of them have "
          + "completed the handshake (frpc.server.max-connections)");
      ch.close();
      return;
    }
    // when a connection was closed to make room, the count stays above the limit until it has closed
    HandshakeSlots.Slot slot = handshaking.take(ch, remote);
    channels.add(ch);
    ch.closeFuture().addListener(f -> {
      channels.remove(ch);
      connections.decrementAndGet();
      slot.release();
    });
    Pipelines.initialize(ch.pipeline(), tls.serverHandler(ch.alloc()), transport, limits, budget, codec,
        resources.traffic(), resources.clock(),
        new ServerHandshakeHandler(self, bootId, transport, limits, codec, dispatcher, pubsub, secrets, peers,
            slot::release, refusals, () -> shuttingDown, () -> slot.evicted() || serverChannel == null, errors));
  }

  /** Whether {@link #announceShutdown()} ran: connections admitted from now on are told at once. */
  private volatile boolean shuttingDown;

  /**
   * The bound address ({@link InJvmAddresses#LISTEN} on the in-JVM transport), or {@code null} before
   * {@link #start()}.
   */
  public InetSocketAddress localAddress() {
    Channel channel = serverChannel;
    return channel == null ? null
        : channel.localAddress() instanceof InetSocketAddress bound ? bound : InJvmAddresses.LISTEN;
  }

  /** Accepted connections that have not completed the handshake. */
  public int handshakingConnections() {
    return handshaking.size();
  }

  /** Whether the listener is bound. */
  public boolean isRunning() {
    Channel channel = serverChannel;
    return channel != null && channel.isActive();
  }


  /**
   * Announces the shutdown on every connection (GOING_AWAY), and from now on on every connection admitted
   * until {@link #stop}, waiting until the announcements are written: callers route no new calls here and
   * close their connection once their pending calls are done. Requests keep being served, and the listener
   * keeps accepting, until {@link #stop}.
   */
  public synchronized void announceShutdown() {
    if (serverChannel == null || shuttingDown) {
      return;
    }
    shuttingDown = true;
    List<ChannelFuture> written = new ArrayList<>();
    for (Channel child : channels) {
      IncomingConnection connection = child.pipeline().get(IncomingConnection.class);
      ChannelFuture announcement = connection == null ? null : connection.goingAway();
      if (announcement != null) {
        written.add(announcement);
      }
    }
    for (ChannelFuture announcement : written) {
      announcement.awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }

  /**
   * Announces the shutdown (if {@link #announceShutdown()} did not yet), stops accepting, keeps serving until
   * every connection told of it has closed and no request is running or queued, or until {@code timeout} (on the
   * node's clock: a manual clock must be advanced by another thread for it to pass), then closes the remaining
   * connections after what was written to them is flushed.
   */
  public synchronized void stop(Duration timeout) {
    announceShutdown();
    Channel channel = serverChannel;
    if (channel == null) {
      return;
    }
    serverChannel = null;
    channel.close().awaitUninterruptibly();
    FrpcClock clock = resources.clock();
    long deadline = clock.nanoTime() + timeout.toNanos();
    while ((dispatcher.inFlight() > 0 || channels.stream().anyMatch(FrpcServer::closesItself))
        && clock.nanoTime() - deadline < 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // whatever arrives from now on is refused unrun, so its caller can take it elsewhere
    dispatcher.refuseNewRequests();
    if (dispatcher.inFlight() > 0) {
      log.warn("frpc node {} closing with {} request(s) still running after {} ms (frpc.server.shutdown-timeout)",
          self, dispatcher.inFlight(), timeout.toMillis());
    }
    for (Channel child : channels) {
      child.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE)
          .channel().closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    summaries.cancel();
    summarizeLogs();
    log.info("frpc node {} stopped listening", self);
  }

  private void scheduleSummaries() {
    summaries = resources.clock().schedule(() -> {
      summarizeLogs();
      // one running as the listener stops may arm one more: it finds at most the stop's own lines held back
      if (serverChannel != null) {
        scheduleSummaries();
      }
    }, 1, TimeUnit.MINUTES);
  }

  private void summarizeLogs() {
    refusals.summarize();
    errors.summarize();
  }

  /** Whether {@code child} is open and its peer, told of the shutdown, will close it. */
  private static boolean closesItself(Channel child) {
    IncomingConnection connection = child.pipeline().get(IncomingConnection.class);
    return child.isOpen() && connection != null && connection.drains();
  }
}
