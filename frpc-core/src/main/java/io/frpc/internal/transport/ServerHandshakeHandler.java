package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.frpc.internal.Names;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Auth;
import io.frpc.internal.protocol.Handshake.Challenge;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.Handshake.HelloAck;
import io.frpc.internal.protocol.Handshake.HelloReject;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.security.FrameCipher;
import io.frpc.internal.security.KeyShare;
import io.frpc.internal.security.SharedSecrets;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.function.BooleanSupplier;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Admits a connecting node: expects a well-formed HELLO first and within the handshake timeout. Anything
 * else is refused with HELLO_REJECT and a reason, and logged in one rate-limited line.
 */
final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {


  private final NodeId self;
  private final String bootId;
  private final TransportSettings settings;
  private final ConnectionLimits limits;
  private final PayloadCodec codec;
  private final InboundRequestHandler dispatcher;
  private final ServedChannels channels;
  private final SharedSecrets secrets;
  private final AdmittedPeers peers;
  private final Runnable admitted;
  private final Refusals refusals;
  private final ConnectionErrors errors;
  private final BooleanSupplier shuttingDown;
  private final BooleanSupplier closedByListener;
  private ScheduledFuture<?> timeout;
  private boolean refused;
  /**
   * The HELLO being authenticated, the transcript its AUTH must prove and this side's key share; null before
   * the CHALLENGE.
   */
  private Hello challenged;
  private SharedSecrets.Transcript transcript;
  private KeyShare keyShare;

  /**
   * @param secrets  how peers are authenticated
   * @param peers    the authenticated identities with a live connection
   * @param admitted runs once the peer is admitted (it no longer counts as handshaking)
   * @param refusals where refusals are logged and counted
   * @param shuttingDown whether the node announced its shutdown: an admitted peer is told at once
   * @param closedByListener whether the listener closed the connection (to make room for another, or on
   *                 shutdown) rather than the peer
   */
  ServerHandshakeHandler(NodeId self, String bootId, TransportSettings settings, ConnectionLimits limits,
      PayloadCodec codec, InboundRequestHandler dispatcher, ServedChannels channels, SharedSecrets secrets, AdmittedPeers peers,
      Runnable admitted, Refusals refusals, BooleanSupplier shuttingDown, BooleanSupplier closedByListener,
      ConnectionErrors errors) {
    this.errors = errors;
    this.self = self;
    this.bootId = bootId;
    this.settings = settings;
    this.limits = limits;
    this.codec = codec;
    this.dispatcher = dispatcher;
    this.channels = channels;
    this.secrets = secrets;
    this.peers = peers;
    this.admitted = admitted;
    this.refusals = refusals;
    this.shuttingDown = shuttingDown;
    this.closedByListener = closedByListener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      refused = true;
      refusals.refused("frpc.handshake-timeout", "Closing connection from " + ctx.channel().remoteAddress()
          + ": no handshake within "
          + settings.handshakeTimeout().toMillis() + " ms (frpc.handshake-timeout)");
      ctx.close();
    }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  /** The connection closed before the handshake completed (once it has, this handler has left the pipeline). */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timeout != null) {
      // a pending timer would hold the closed connection until the handshake timeout
      timeout.cancel(false);
    }
    if (!refused && !closedByListener.getAsBoolean()) {
      if (challenged != null) {
        refusals.secretMismatch("Connection from " + ctx.channel().remoteAddress() + " (node "
            + UntrustedText.escape(challenged.name() + ":" + challenged.id()) + ") closed when challenged to prove the "
            + "shared secret: it most likely does not share this node's secret (frpc.security.secret), or "
            + "expected another node at this address");
      } else {
        refusals.closedDuringHandshake("Connection from " + ctx.channel().remoteAddress()
            + " closed during the handshake");
      }
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (challenged != null) {
      if (msg instanceof Auth auth && secrets.verifyClient(transcript, auth.proof())) {
        authenticated(ctx);
      } else {
        ReferenceCountUtil.release(msg);
        refuse(ctx, "authentication failed: the node does not know this node's shared secret "
            + "(frpc.security.secret)");
      }
      return;
    }
    if (!(msg instanceof Hello hello)) {
      ReferenceCountUtil.release(msg);
      refuse(ctx, "expected HELLO as the first frame but got " + msg.getClass().getSimpleName());
      return;
    }
    String problem = check(hello);
    if (problem != null) {
      refuse(ctx, problem + " (from " + hello.name() + ":" + hello.id() + ")");
      return;
    }
    if (!secrets.serverRequiresAuthentication()) {
      admit(ctx, hello, terms(hello), null);
      return;
    }
    if (hello.nonce() == null || hello.nonce().length < 16) {
      refuse(ctx, "authentication required: node " + self + " accepts only nodes that share its secret "
          + "(frpc.security.secret)");
      return;
    }
    if (hello.keyShare() == null || hello.keyShare().length != KeyShare.BYTES) {
      refuse(ctx, "authentication required with frame protection: node " + self + " protects every frame with "
          + "keys from the shared secret and an X25519 key exchange, which the calling node does not offer "
          + "(upgrade it)");
      return;
    }
    SharedSecrets.Terms agreed = terms(hello);
    byte[] nonce = secrets.nonce();
    keyShare = KeyShare.generate();
    transcript = new SharedSecrets.Transcript(FrameType.PROTOCOL_VERSION,
        new SharedSecrets.Identity(hello.name(), hello.id(), hello.bootId()),
        new SharedSecrets.Identity(self.name(), self.id(), bootId), hello.nonce(), nonce, hello.keyShare(),
        keyShare.publicBytes(), new SharedSecrets.Terms(hello.maxMessageSize(),
        hello.features() == null ? Set.of() : hello.features()), agreed, Tls.binding(ctx.pipeline(), true));
    challenged = hello;
    ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.CHALLENGE, codec, new Challenge(self.name(), self.id(),
        bootId, nonce, secrets.serverProof(transcript), keyShare.publicBytes(), agreed.maxMessageSize(),
        agreed.features())), ctx.voidPromise());
  }

  /** The peer proved the secret: derives the connection's frame keys and admits it. */
  private void authenticated(ChannelHandlerContext ctx) {
    SharedSecrets.SessionKeys keys;
    try {
      keys = transcript.sessionKeys(keyShare.agree(challenged.keyShare()));
    } catch (GeneralSecurityException e) {
      refuse(ctx, "the HELLO's key share is not a usable X25519 public key");
      return;
    }
    admit(ctx, challenged, transcript.agreed(), new FrameProtection(FrameCipher.sealing(keys.serverToClient()),
        FrameCipher.opening(keys.clientToServer())));
  }

  /** The largest message both sides accept and the features both support. */
  private SharedSecrets.Terms terms(Hello hello) {
    Set<String> features = new HashSet<>(settings.features());
    features.retainAll(hello.features() == null ? Set.of() : hello.features());
    return new SharedSecrets.Terms(Math.min(settings.maxMessageSize(), hello.maxMessageSize()), Set.copyOf(features));
  }

  /**
   * Admits an identified (and, with a secret, authenticated) peer, unless that identity is connected already;
   * with {@code protection}, every frame after the HELLO_ACK is sealed.
   */
  private void admit(ChannelHandlerContext ctx, Hello hello, SharedSecrets.Terms terms, FrameProtection protection) {
    NodeId peer = new NodeId(hello.name(), hello.id());
    if (!peers.claim(peer, hello.bootId(), ctx.channel())) {
      refuse(ctx, "node " + peer + " is connected already from another process (boot id); a second live connection "
          + "under one identity is refused");
      return;
    }
    timeout.cancel(false);
    IncomingConnection connection = new IncomingConnection(peer, ctx.channel(), terms.maxMessageSize(), dispatcher,
        channels, terms.features(), errors);
    ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.HELLO_ACK, codec, new HelloAck(
        FrameType.PROTOCOL_VERSION, self.name(), self.id(), bootId, terms.maxMessageSize(), terms.features())),
        ctx.voidPromise());
    admitted.run();
    Pipelines.handshakeCompleted(ctx.pipeline(), settings, limits, terms.features(), true, protection, rtt -> { },
        "requests", connection);
    if (shuttingDown.getAsBoolean()) {
      connection.goingAway();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    Throwable tlsFailure = TlsFailures.find(cause);
    if (tlsFailure != null) {
      if (!refused) {
        refused = true;
        refusals.refused("tls", "Refusing connection from " + ctx.channel().remoteAddress() + ": "
            + TlsFailures.describe("the peer", tlsFailure));
        ctx.close();
      }
    } else if (reason instanceof ProtocolException) {
      refuse(ctx, "protocol violation: " + reason.getMessage());
    } else if (!refused) {
      refused = true;
      errors.logClosing(ctx.channel().remoteAddress(), cause);
      ctx.close();
    }
  }

  /** Answers HELLO_REJECT with {@code reason} and closes; later frames of the peer are dropped. */
  private void refuse(ChannelHandlerContext ctx, String problem) {
    if (refused) {
      return;
    }
    String reason = UntrustedText.escape(problem);
    refused = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    refusals.refused("handshake", "Refusing connection from " + ctx.channel().remoteAddress() + ": " + reason);
    ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.HELLO_REJECT, codec, new HelloReject(reason)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private static String check(Hello hello) {
    if (hello.protocolVersion() != FrameType.PROTOCOL_VERSION) {
      return "protocol version " + hello.protocolVersion() + " is not supported; this node speaks version "
          + FrameType.PROTOCOL_VERSION;
    }
    if (hello.name() == null || hello.name().isBlank()) {
      return "HELLO carries no node name";
    }
    if (!Names.isNodeName(hello.name())) {
      return "HELLO carries a node name that is not " + Names.NODE_NAME_RULE;
    }
    if (hello.id() < 0) {
      return "HELLO carries a negative node id";
    }
    if (hello.bootId() == null || hello.bootId().isBlank() || hello.bootId().length() > 64) {
      return "HELLO carries no boot id, or one longer than 64 characters";
    }
    if (hello.maxMessageSize() < 1024) {
      return "HELLO announces a maximum message size below 1 KiB";
    }
    return null;
  }
}
