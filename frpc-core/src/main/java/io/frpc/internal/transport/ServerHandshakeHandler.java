package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.frpc.internal.module.RequestDispatcher;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.Handshake.HelloAck;
import io.frpc.internal.protocol.Handshake.HelloReject;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.ProtocolException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a connecting node: expects a well-formed HELLO first and within the handshake timeout. Anything
 * else is refused with HELLO_REJECT and a reason, and logged in one rate-limited line.
 */
final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  private final NodeId self;
  private final String bootId;
  private final TransportSettings settings;
  private final ConnectionLimits limits;
  private final PayloadCodec codec;
  private final RequestDispatcher dispatcher;
  private final Runnable admitted;
  private final RateLimitedLog refusals;
  private ScheduledFuture<?> timeout;
  private boolean refused;

  /**
   * @param admitted runs once the peer is admitted (it no longer counts as handshaking)
   * @param refusals where refusals are logged
   */
  ServerHandshakeHandler(NodeId self, String bootId, TransportSettings settings, ConnectionLimits limits,
      PayloadCodec codec, RequestDispatcher dispatcher, Runnable admitted, RateLimitedLog refusals) {
    this.self = self;
    this.bootId = bootId;
    this.settings = settings;
    this.limits = limits;
    this.codec = codec;
    this.dispatcher = dispatcher;
    this.admitted = admitted;
    this.refusals = refusals;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      refusals.warn("Closing connection from " + ctx.channel().remoteAddress() + ": no handshake within "
          + settings.handshakeTimeout().toMillis() + " ms (frpc.server.handshake-timeout)");
      ctx.close();
    }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
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
    timeout.cancel(false);
    NodeId peer = new NodeId(hello.name(), hello.id());
    int maxMessageSize = Math.min(settings.maxMessageSize(), hello.maxMessageSize());
    ServerConnection connection = new ServerConnection(peer, ctx.channel(), maxMessageSize, dispatcher);
    ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.HELLO_ACK, codec, new HelloAck(
        FrameType.PROTOCOL_VERSION, self.name(), self.id(), bootId, settings.maxMessageSize(), Set.of())),
        ctx.voidPromise());
    admitted.run();
    Pipelines.handshakeCompleted(ctx.pipeline(), settings, limits, true, rtt -> { }, "requests", connection);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (reason instanceof ProtocolException) {
      refuse(ctx, "protocol violation: " + reason.getMessage());
    } else if (!refused) {
      refused = true;
      ConnectionErrors.logClosing(log,
          ctx.channel().remoteAddress(), cause);
      ctx.close();
    }
  }

  /** Answers HELLO_REJECT with {@code reason} and closes; later frames of the peer are dropped. */
  private void refuse(ChannelHandlerContext ctx, String problem) {
    if (refused) {
      return;
    }
    String reason = PeerText.safe(problem);
    refused = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    refusals.warn("Refusing connection from " + ctx.channel().remoteAddress() + ": " + reason);
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
    if (hello.name().getBytes(StandardCharsets.UTF_8).length > 255) {
      return "HELLO carries a node name longer than 255 bytes";
    }
    if (hello.bootId() == null || hello.bootId().isBlank()) {
      return "HELLO carries no boot id";
    }
    if (hello.maxMessageSize() < 1024) {
      return "HELLO announces a maximum message size below 1 KiB";
    }
    return null;
  }
}
