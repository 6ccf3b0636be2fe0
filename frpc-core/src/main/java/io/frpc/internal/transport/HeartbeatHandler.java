package io.frpc.internal.transport;

import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Heartbeat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a PING when the connection has been quiet, answers PINGs, and closes a silent connection. */
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

  private final TransportSettings settings;
  private final LongConsumer pongs;

  /**
   * @param pongs receives the timestamp each PONG echoes (the sender's {@link System#nanoTime()} at its PING)
   */
  HeartbeatHandler(TransportSettings settings, LongConsumer pongs) {
    this.settings = settings;
    this.pongs = pongs;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Heartbeat heartbeat) {
      if (heartbeat.pong()) {
        pongs.accept(heartbeat.timestamp());
      } else {
        ctx.writeAndFlush(Frames.heartbeat(ctx.alloc(), true, heartbeat.timestamp()), ctx.voidPromise());
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE) {
        ctx.writeAndFlush(Frames.heartbeat(ctx.alloc(), false, System.nanoTime()), ctx.voidPromise());
      } else if (idle.state() == IdleState.READER_IDLE) {
        log.warn("Closing connection to {}: nothing received for {} ms (frpc.heartbeat-timeout)",
            ctx.channel().remoteAddress(), settings.heartbeatTimeout().toMillis());
        ctx.close();
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }
}
