package io.frpc.internal.transport;

import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Heartbeat;
import io.frpc.internal.protocol.LimitExceededException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Sends a PING every heartbeat interval, answers PINGs, and fails a silent connection (reader idle, from the
 * {@code IdleStateHandler} before it), which the connection handler after it logs and closes. The PING goes out whether or not the connection is busy: it keeps the
 * peer's idle check satisfied on a quiet connection and measures the round-trip time on a busy one, for one
 * small frame per interval and no cost per write. Its time is the event loop's: the PINGs are scheduled on it and
 * stamped with its ticker, which the PONG's round-trip time is measured against.
 */
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {

  private final TransportSettings settings;
  private final LongConsumer pongs;
  private ScheduledFuture<?> pings;

  /**
   * @param pongs receives the timestamp each PONG echoes (this side's event loop ticker when it sent the PING)
   */
  HeartbeatHandler(TransportSettings settings, LongConsumer pongs) {
    this.settings = settings;
    this.pongs = pongs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long interval = settings.heartbeatInterval().toNanos();
    pings = ctx.executor().scheduleAtFixedRate(
        () -> ctx.writeAndFlush(Frames.heartbeat(ctx.alloc(), false, ctx.executor().ticker().nanoTime()),
            ctx.voidPromise()),
        interval, interval, TimeUnit.NANOSECONDS);
  }

  /** Also when the channel closes: Netty removes every handler of a closed channel's pipeline. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    pings.cancel(false);
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
      if (idle.state() == IdleState.READER_IDLE) {
        // logged (rate-limited, a peer can go silent at will) and closed by the connection handler after this one
        ctx.fireExceptionCaught(new LimitExceededException("nothing received for "
            + settings.heartbeatTimeout().toMillis() + " ms (frpc.heartbeat-timeout)"));
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }
}
