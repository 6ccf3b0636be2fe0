package io.frpc.skynet.internal.client;

import io.frpc.skynet.internal.frame.SkynetFrameException;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.handshake.SkynetHandshakeCompleted;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a watch connection: once the handshake completed it makes the decoder read pushes (a watch
 * connection carries pushes, never responses), tells its {@link WatchConnection}, and hands it each push whose
 * session it did not see within the last minute. One per channel.
 */
final class WatchHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(WatchHandler.class);

  private final WatchConnection connection;
  private final PushSessions sessions;
  private final int maxMessageSize;
  private final int maxPartialMessages;

  WatchHandler(WatchConnection connection, PushSessions sessions, int maxMessageSize, int maxPartialMessages) {
    this.connection = connection;
    this.sessions = sessions;
    this.maxMessageSize = maxMessageSize;
    this.maxPartialMessages = maxPartialMessages;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SkynetHandshakeCompleted) {
      ctx.pipeline().replace("messages", "messages", new SkynetMessageDecoder(
          SkynetMessageDecoder.Direction.PUSHES, maxMessageSize, maxPartialMessages));
      connection.ready(ctx.channel());
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof SkynetPush push)) {
      log.warn("skynet node {}: closing the watch connection: it sent {}", connection.node().id(), message);
      ReferenceCountUtil.release(message);
      ctx.close();
      return;
    }
    if (!sessions.firstSeen(push.session())) {
      log.debug("skynet node {}: dropped a push with session {} seen within the last minute",
          connection.node().id(), push.session());
      return;
    }
    connection.push(push);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof SkynetFrameException || cause.getCause() instanceof SkynetFrameException) {
      log.warn("skynet node {}: closing the watch connection: {}", connection.node().id(), cause.getMessage());
    } else {
      log.debug("skynet node {}: closing the watch connection", connection.node().id(), cause);
    }
    ctx.close();
  }
}
