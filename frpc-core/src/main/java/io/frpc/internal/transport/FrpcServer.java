package io.frpc.internal.transport;

import io.frpc.FrpcConfigurationException;
import io.frpc.NodeId;
import io.frpc.internal.module.RequestDispatcher;
import io.frpc.internal.protocol.PayloadCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
  private final TransportResources resources;
  private final PayloadCodec codec;
  private final RequestDispatcher dispatcher;
  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private volatile Channel serverChannel;

  public FrpcServer(NodeId self, String bootId, ServerSettings settings, TransportSettings transport,
      TransportResources resources, PayloadCodec codec, RequestDispatcher dispatcher) {
    this.self = self;
    this.bootId = bootId;
    this.settings = settings;
    this.transport = transport;
    this.resources = resources;
    this.codec = codec;
    this.dispatcher = dispatcher;
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
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            ch.closeFuture().addListener(f -> channels.remove(ch));
            Pipelines.initialize(ch.pipeline(), transport, codec, new ServerHandshakeHandler(self, bootId,
                transport, codec, dispatcher));
          }
        });
    ChannelFuture bind = bootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly();
    if (!bind.isSuccess()) {
      throw new FrpcConfigurationException("frpc.server.port", "frpc node " + self + " cannot listen on "
          + settings.host() + ":" + settings.port() + ": " + bind.cause().getMessage(), "set frpc.server.port to a "
          + "free port (0 picks one) or frpc.server.host to an address of this machine, or stop the process "
          + "using the port", bind.cause());
    }
    serverChannel = bind.channel();
    log.info("frpc node {} listening on {}", self, serverChannel.localAddress());
  }

  /** The bound address, or {@code null} before {@link #start()}. */
  public InetSocketAddress localAddress() {
    Channel channel = serverChannel;
    return channel == null ? null : (InetSocketAddress) channel.localAddress();
  }

  /** Whether the listener is bound. */
  public boolean isRunning() {
    Channel channel = serverChannel;
    return channel != null && channel.isActive();
  }


  /**
   * Stops accepting, lets running and queued requests finish for up to {@code timeout}, then closes
   * every connection.
   */
  public synchronized void stop(Duration timeout) {
    Channel channel = serverChannel;
    if (channel == null) {
      return;
    }
    serverChannel = null;
    channel.close().awaitUninterruptibly();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (dispatcher.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (dispatcher.inFlight() > 0) {
      log.warn("frpc node {} closing with {} request(s) still running after {} ms (frpc.server.shutdown-timeout)",
          self, dispatcher.inFlight(), timeout.toMillis());
    }
    for (Channel child : channels) {
      child.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    log.info("frpc node {} stopped listening", self);
  }
}
