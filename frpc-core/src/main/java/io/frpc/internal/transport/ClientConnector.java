package io.frpc.internal.transport;

import io.frpc.AuthenticationException;
import io.frpc.FrpcException;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.Transport;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Auth;
import io.frpc.internal.protocol.Handshake.Challenge;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.Handshake.HelloAck;
import io.frpc.internal.protocol.Handshake.HelloReject;
import io.frpc.internal.protocol.InboundBudget;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.security.FrameCipher;
import io.frpc.internal.security.KeyShare;
import io.frpc.internal.security.SharedSecrets;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens outgoing connections and runs the connecting side of the handshake. */
public final class ClientConnector {

  private static final Logger log = LoggerFactory.getLogger(ClientConnector.class);

  private final NodeId self;
  private final String bootId;
  private final TransportSettings settings;
  private final ConnectionLimits limits;
  private final InboundBudget budget;
  private final TransportResources resources;
  private final SharedSecrets secrets;
  private final Tls tls;
  private final PayloadCodec codec;
  private final Bootstrap bootstrap;
  private final ConnectionErrors errors;

  /**
   * @param budget         the node-wide memory for unfinished inbound messages, shared with the server
   * @param secrets        how the nodes this node connects to are authenticated
   * @param tls            whether connections are made over TLS
   * @param connectTimeout limit for the TCP connect; the handshake then has the handshake timeout
   */
  public ClientConnector(NodeId self, String bootId, TransportSettings settings, ConnectionLimits limits,
      InboundBudget budget, SharedSecrets secrets, Tls tls, TransportResources resources, PayloadCodec codec,
      Duration connectTimeout) {
    this.secrets = secrets;
    this.tls = tls;
    this.self = self;
    this.bootId = bootId;
    this.settings = settings;
    this.limits = limits;
    this.budget = budget;
    this.resources = resources;
    this.codec = codec;
    this.errors = new ConnectionErrors(log, resources.clock());
    this.bootstrap = new Bootstrap()
        .group(resources.ioGroup())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, FrpcServer.WATER_MARK)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
    if (settings.inJvm()) {
      bootstrap.channel(LocalChannel.class);
    } else {
      bootstrap.channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true);
      settings.applySocketBuffers(bootstrap, false);
    }
  }

  /**
   * Connects to {@code host:port} and completes with the connection once the peer proved to be
   * {@code expected}; fails when the connect, the handshake or the identity check fails. On the in-JVM
   * transport the host must be {@link Transport#IN_JVM_HOST}, and the connection goes to {@code expected}'s
   * in-JVM address; over TCP that host is refused.
   */
  public CompletableFuture<OutgoingConnection> connect(NodeId expected, String host, int port) {
    CompletableFuture<OutgoingConnection> result = new CompletableFuture<>();
    if (settings.inJvm() != Transport.IN_JVM_HOST.equals(host)) {
      result.completeExceptionally(new FrpcException(settings.inJvm()
          ? "node " + expected + " was reported at " + host + ":" + port + ", but node " + self + " uses the "
              + "in-JVM transport and reaches only nodes of it (reported at host " + Transport.IN_JVM_HOST + ")"
          : "node " + expected + " was reported at host " + Transport.IN_JVM_HOST + ": it uses the in-JVM "
              + "transport, which node " + self + " (on TCP) cannot reach"));
      return result;
    }
    Bootstrap attempt = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        resources.track(ch);
        Pipelines.initialize(ch.pipeline(), tls.clientHandler(ch.alloc(), host, port), settings, limits, budget,
            codec, resources.traffic(), resources.clock(), new Handshake(expected, host, port, result));
      }
    });
    ChannelFuture connecting = settings.inJvm() ? attempt.connect(InJvmAddresses.of(expected))
        : attempt.connect(host, port);
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(f.cause());
      }
    });
    return result;
  }

  private final class Handshake extends ChannelInboundHandlerAdapter {
    private final NodeId expected;
    private final String host;
    private final int port;
    private final CompletableFuture<OutgoingConnection> result;
    private ScheduledFuture<?> timeout;
    /** This side's nonce and key share when it authenticates the node, else null. */
    private byte[] nonce;
    private KeyShare keyShare;
    /** The node's CHALLENGE once its proof verified, and the frame protection agreed with it. */
    private Challenge proven;
    private FrameProtection protection;

    Handshake(NodeId expected, String host, int port, CompletableFuture<OutgoingConnection> result) {
      this.expected = expected;
      this.host = host;
      this.port = port;
      this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      timeout = ctx.executor().schedule(() -> {
        result.completeExceptionally(new FrpcException("no handshake answer from " + host + ":" + port
            + " within " + settings.handshakeTimeout().toMillis() + " ms"));
        ctx.close();
      }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (secrets.clientAuthenticates(expected.name())) {
        nonce = secrets.nonce();
        keyShare = KeyShare.generate();
      }
      ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.HELLO, codec, new Hello(FrameType.PROTOCOL_VERSION,
          self.name(), self.id(), bootId, settings.maxMessageSize(), settings.features(), nonce,
          keyShare == null ? null : keyShare.publicBytes())), ctx.voidPromise());
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Challenge challenge) {
        answer(ctx, challenge);
        return;
      }
      timeout.cancel(false);
      if (msg instanceof HelloReject reject) {
        String reason = host + ":" + port + " refused the connection: " + reject.reason();
        result.completeExceptionally(reject.reason() != null && reject.reason().startsWith("authentication")
            ? new AuthenticationException(expected, reason) : new FrpcException(reason));
        ctx.close();
      } else if (msg instanceof HelloAck ack) {
        if (nonce != null && proven == null) {
          failAuthentication(ctx.channel(), host + ":" + port + " admitted this node without proving the shared "
              + "secret: it has no frpc.security.secret (or is not an frpc node of this cluster)");
          return;
        }
        if (proven != null && (!proven.bootId().equals(ack.bootId()) || proven.maxMessageSize() != ack.maxMessageSize()
            || !Set.copyOf(proven.features()).equals(ack.features() == null ? Set.of() : Set.copyOf(ack.features())))) {
          failAuthentication(ctx.channel(), host + ":" + port + " admitted this node on other terms than it proved "
              + "in its CHALLENGE: the connection was tampered with on the way");
          return;
        }
        accept(ctx.channel(), ack);
      } else {
        ReferenceCountUtil.release(msg);
        throw new ProtocolException("expected HELLO_ACK but got " + msg.getClass().getSimpleName());
      }
    }

    private void accept(Channel channel, HelloAck ack) {
      NodeId actual = new NodeId(ack.name(), ack.id());
      if (ack.protocolVersion() != FrameType.PROTOCOL_VERSION) {
        fail(channel, host + ":" + port + " answered with protocol version " + ack.protocolVersion());
      } else if (!actual.equals(expected)) {
        fail(channel, host + ":" + port + " is node " + actual + ", not the expected " + expected);
      } else if (result.isDone()) {
        channel.close();
      } else {
        // what this node announced and the peer answered: a peer cannot turn on a feature this node did not offer
        Set<String> agreed = ack.features() == null ? Set.of() : ack.features().stream()
            .filter(settings.features()::contains).collect(Collectors.toUnmodifiableSet());
        OutgoingConnection connection = new OutgoingConnection(new RemoteNode(actual, host, port, ack.bootId()), channel,
            Math.min(settings.maxMessageSize(), ack.maxMessageSize()), resources.clock(), agreed, errors);
        Pipelines.handshakeCompleted(channel.pipeline(), settings, limits, agreed, false, protection, connection::pong,
            "replies", connection);
        if (!result.complete(connection)) {
          channel.close();
        }
      }
    }

    /** Verifies the node's proof of the shared secret and answers with this node's own. */
    private void answer(ChannelHandlerContext ctx, Challenge challenge) {
      if (nonce == null) {
        throw new ProtocolException("CHALLENGE from a node this node did not ask to authenticate");
      }
      if (!expected.equals(new NodeId(challenge.name(), challenge.id())) || challenge.bootId() == null
          || challenge.nonce() == null) {
        failAuthentication(ctx.channel(), host + ":" + port + " answered as " + challenge.name() + ":"
            + challenge.id() + ", not the expected " + expected);
        return;
      }
      if (challenge.keyShare() == null || challenge.features() == null) {
        failAuthentication(ctx.channel(), host + ":" + port + " offers no frame protection (no key share in its "
            + "CHALLENGE): it runs an older frpc; this node protects every frame when a secret is set");
        return;
      }
      SharedSecrets.Transcript transcript = new SharedSecrets.Transcript(FrameType.PROTOCOL_VERSION,
          new SharedSecrets.Identity(self.name(), self.id(), bootId),
          new SharedSecrets.Identity(challenge.name(), challenge.id(), challenge.bootId()), nonce, challenge.nonce(),
          keyShare.publicBytes(), challenge.keyShare(),
          new SharedSecrets.Terms(settings.maxMessageSize(), settings.features()),
          new SharedSecrets.Terms(challenge.maxMessageSize(), challenge.features()),
          Tls.binding(ctx.pipeline(), false));
      if (!secrets.verifyServer(expected.name(), transcript, challenge.proof())) {
        failAuthentication(ctx.channel(), host + ":" + port + " could not prove the shared secret "
            + "(frpc.security.secret): it is not a node of this cluster, uses another secret, or a relay "
            + "altered the handshake");
        return;
      }
      SharedSecrets.SessionKeys keys;
      try {
        keys = transcript.sessionKeys(keyShare.agree(challenge.keyShare()));
      } catch (GeneralSecurityException e) {
        failAuthentication(ctx.channel(), host + ":" + port + " sent a key share that is not a usable X25519 "
            + "public key");
        return;
      }
      proven = challenge;
      protection = new FrameProtection(FrameCipher.sealing(keys.clientToServer()),
          FrameCipher.opening(keys.serverToClient()));
      ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.AUTH, codec,
          new Auth(secrets.clientProof(expected.name(), transcript))), ctx.voidPromise());
    }

    private void failAuthentication(Channel channel, String reason) {
      timeout.cancel(false);
      log.debug("Closing connection to {}: {}", expected, reason);
      result.completeExceptionally(new AuthenticationException(expected, reason));
      channel.close();
    }

    private void fail(Channel channel, String reason) {
      log.debug("Closing connection to {}: {}", expected, reason);
      result.completeExceptionally(new FrpcException(reason));
      channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (timeout != null) {
        timeout.cancel(false);
      }
      result.completeExceptionally(new FrpcException("connection to " + host + ":" + port
          + " closed during the handshake" + (tls.calls() ? "" : " (if the node's listener uses TLS, set "
          + "frpc.client.ssl.bundle)")));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable tlsFailure = TlsFailures.find(cause);
      if (tlsFailure != null) {
        result.completeExceptionally(new FrpcException(TlsFailures.describe(host + ":" + port, tlsFailure)));
      } else {
        errors.logClosing(expected + " (" + host + ":" + port + ")", cause);
        result.completeExceptionally(cause);
      }
      ctx.close();
    }
  }
}
