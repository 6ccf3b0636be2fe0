package io.frpc.skynet.internal.server;

import io.frpc.NodeId;
import io.frpc.bridge.NodeBridge;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.frpc.skynet.internal.handshake.SkynetHandshakeException;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.skynet.internal.handshake.SkynetServerHandshake;
import io.frpc.time.SystemClock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener behind {@code SkynetServer}: skynet_fly's framing, its handshake, then the requests of an identified
 * caller on the node's modules, or its subscriptions to the node's channels. Its own event loop (one thread) reads,
 * decodes and answers; commands run on the node's workers, as frpc requests do.
 */
public final class LuaServer {

  private static final Logger log = LoggerFactory.getLogger(LuaServer.class);

  private final NodeBridge node;
  private final NodeId self;
  private final String host;
  private final int port;
  private final SkynetSecurity security;
  private final Map<String, String> aliases;
  private final Duration handshakeTimeout;
  private final int maxConnections;
  private final int maxMessageSize;
  private final SkynetPack pack;
  private final LuaBinding binding = LuaBinding.create();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong pushSessions = new AtomicLong();
  /** Paces the lines peers can provoke (refused connections, failed handshakes, broken frames). */
  private final SystemClock clock = new SystemClock("skynet-listener");
  private final RateLimitedLog peerFailures = new RateLimitedLog(log, Duration.ofSeconds(10), clock);
  private EventLoopGroup group;
  private ChannelGroup connections;
  private volatile Channel listener;

  public LuaServer(NodeBridge node, NodeId self, String host, int port, String secretKey, boolean encrypt,
      Map<String, String> aliases, Duration handshakeTimeout, int maxConnections, int maxMessageSize) {
    this.node = node;
    this.self = self;
    this.host = host;
    this.port = port;
    this.security = new SkynetSecurity(secretKey, encrypt);
    this.aliases = aliases;
    this.handshakeTimeout = handshakeTimeout;
    this.maxConnections = maxConnections;
    this.maxMessageSize = maxMessageSize;
    this.pack = SkynetPack.withMaxBytes(maxMessageSize);
  }

  public synchronized void start() {
    if (listener != null) {
      return;
    }
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("frpc-skynet-" + self, true),
        NioIoHandler.newFactory());
    connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              if (connections.size() >= maxConnections) {
                peerFailures.log("Refused a skynet_fly connection from " + channel.remoteAddress() + ": "
                    + maxConnections + " connections already");
                channel.close();
                return;
              }
              connections.add(channel);
              channel.pipeline()
                  .addLast("frames", SkynetMessageDecoder.lengthPrefixDecoder())
                  .addLast("messages", new SkynetMessageDecoder(SkynetMessageDecoder.Direction.REQUESTS,
                      maxMessageSize, SkynetMessageDecoder.DEFAULT_MAX_PARTIAL_MESSAGES))
                  .addLast("encoder", new SkynetMessageEncoder())
                  .addLast("handshake", new SkynetServerHandshake(security, random, handshakeTimeout))
                  .addLast("connection", new LuaConnectionHandler(self, node, aliases, pack, binding,
                      LuaServer.this::nextPushSession))
                  .addLast("errors", new Errors(peerFailures));
            }
          })
          .bind(host, port).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    log.info("skynet_fly listener of {} on {} (secret key: {}, payloads encrypted: {})", self,
        listener.localAddress(), security.secretKey() != null ? "set" : "none", security.encrypt());
  }

  /**
   * A session for a push: one counter for the whole listener, as skynet_fly's server has, 1 to 2^32-1 then 1
   * again (a skynet_fly subscriber drops a push whose session it saw in the last minute).
   */
  private long nextPushSession() {
    return pushSessions.updateAndGet(session -> session >= 0xFFFFFFFFL ? 1 : session + 1);
  }

  public InetSocketAddress address() {
    Channel current = listener;
    return current == null ? null : (InetSocketAddress) current.localAddress();
  }

  public synchronized void close() {
    if (listener == null) {
      return;
    }
    listener.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    peerFailures.summarize();
    clock.close();
    listener = null;
  }

  /**
   * The end of every pipeline: says why a connection failed. A failed handshake closes its connection itself (after
   * its answer, if any); any other failure (a frame that breaks the protocol, a message too large) closes it here.
   */
  private static final class Errors extends ChannelInboundHandlerAdapter {
    private final RateLimitedLog failures;

    Errors(RateLimitedLog failures) {
      this.failures = failures;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof SkynetHandshakeException) {
        failures.log(UntrustedText.escape(cause.getMessage()));
        return;
      }
      failures.log("Closing skynet_fly connection from " + ctx.channel().remoteAddress() + ": "
          + UntrustedText.escape(String.valueOf(cause.getMessage())));
      ctx.close();
    }
  }
}
