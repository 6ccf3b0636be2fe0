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
import io.netty.util.ReferenceCountUtil;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Admits a connecting node: expects HELLO first and within the handshake timeout. */
final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

  private final NodeId self;
  private final String bootId;
  private final TransportSettings settings;
  private final PayloadCodec codec;
  private final RequestDispatcher dispatcher;
  private ScheduledFuture<?> timeout;

  ServerHandshakeHandler(NodeId self, String bootId, TransportSettings settings, PayloadCodec codec,
      RequestDispatcher dispatcher) {
    this.self = self;
    this.bootId = bootId;
    this.settings = settings;
    this.codec = codec;
    this.dispatcher = dispatcher;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      log.warn("Closing connection from {}: no handshake within {} ms (frpc.server.handshake-timeout)",
          ctx.channel().remoteAddress(), settings.handshakeTimeout().toMillis());
      ctx.close();
    }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Hello hello)) {
      ReferenceCountUtil.release(msg);
      throw new ProtocolException("expected HELLO as the first frame but got " + msg.getClass().getSimpleName());
    }
    timeout.cancel(false);
    String problem = check(hello);
    if (problem != null) {
      log.warn("Refusing connection from {} ({}): {}", ctx.channel().remoteAddress(), describe(hello), problem);
      ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.HELLO_REJECT, codec, new HelloReject(problem)))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    NodeId peer = new NodeId(hello.name(), hello.id());
    int maxMessageSize = Math.min(settings.maxMessageSize(), hello.maxMessageSize());
    ServerConnection connection = new ServerConnection(peer, ctx.channel(), maxMessageSize, dispatcher);
    ctx.writeAndFlush(Frames.control(ctx.alloc(), FrameType.HELLO_ACK, codec, new HelloAck(
        FrameType.PROTOCOL_VERSION, self.name(), self.id(), bootId, settings.maxMessageSize(), Set.of())),
        ctx.voidPromise());
    Pipelines.handshakeCompleted(ctx.pipeline(), settings, rtt -> { }, "requests", connection);
    log.debug("Admitted {} from {}", peer, ctx.channel().remoteAddress());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ConnectionErrors.logClosing(log, ctx.channel().remoteAddress(), cause);
    ctx.close();
  }

  private static String check(Hello hello) {
    if (hello.protocolVersion() != FrameType.PROTOCOL_VERSION) {
      return "protocol version " + hello.protocolVersion() + " is not supported; this node speaks version "
          + FrameType.PROTOCOL_VERSION;
    }
    if (hello.name() == null || hello.name().isBlank()) {
      return "HELLO carries no node name";
    }
    if (hello.maxMessageSize() < 1024) {
      return "HELLO announces a maximum message size below 1 KiB";
    }
    return null;
  }

  private static String describe(Hello hello) {
    return hello.name() + ":" + hello.id();
  }
}
