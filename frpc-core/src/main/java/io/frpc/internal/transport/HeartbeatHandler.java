package io.frpc.internal.transport;

import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Heartbeat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a PING when nothing was written for the heartbeat interval, answers PINGs, and closes a silent
 * connection (reader idle, from the {@code IdleStateHandler} before it). Write idleness is read from the
 * connection's {@link TrafficCounter} by a check a few times per interval: Netty's writer-idle detection would
 * add a promise and a listener to every write.
 */
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

  private final TransportSettings settings;
  private final LongConsumer pongs;
  private ScheduledFuture<?> writeCheck;
  private long lastBytesOut = -1;
  private long lastWriteNanos;

  /**
   * @param pongs receives the timestamp each PONG echoes (the sender's {@link System#nanoTime()} at its PING)
   */
  HeartbeatHandler(TransportSettings settings, LongConsumer pongs) {
    this.settings = settings;
    this.pongs = pongs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    TrafficCounter traffic = ctx.pipeline().get(TrafficCounter.class);
    long interval = settings.heartbeatInterval().toNanos();
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), interval / 4);
    lastWriteNanos = System.nanoTime();
    writeCheck = ctx.executor().scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      long written = traffic.bytesOut();
      if (written != lastBytesOut) {
        lastBytesOut = written;
        lastWriteNanos = now;
      } else if (now - lastWriteNanos >= interval) {
        lastWriteNanos = now;
        ctx.writeAndFlush(Frames.heartbeat(ctx.alloc(), false, now), ctx.voidPromise());
      }
    }, period, period, TimeUnit.NANOSECONDS);
  }

  /** Also when the channel closes: Netty removes every handler of a closed channel's pipeline. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    writeCheck.cancel(false);
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
        log.warn("Closing connection to {}: nothing received for {} ms (frpc.heartbeat-timeout)",
            ctx.channel().remoteAddress(), settings.heartbeatTimeout().toMillis());
        ctx.close();
      }
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }
}
