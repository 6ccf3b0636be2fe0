package io.frpc.internal.transport;

import io.frpc.internal.protocol.LimitExceededException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reacts to a peer that does not read what this side writes. While the connection is not writable, a
 * server stops reading from it (so it stops producing replies for it); either side closes the
 * connection when the peer has not read for the unwritable timeout.
 *
 * <p>It must sit next to the head of the pipeline, before any handler that writes when the connection turns
 * writable (the fragment writer): such a handler fills the connection again at once, and a handler after it would
 * see every change to writable only once the connection is unwritable again — and, the peer reading all along,
 * close it at the timeout.
 */
final class UnwritableTimeoutHandler extends ChannelInboundHandlerAdapter {

  private final boolean stopReading;
  private final Duration unwritableTimeout;
  private ScheduledFuture<?> stall;

  /**
   * @param stopReading whether to stop reading while unwritable (the serving side)
   */
  UnwritableTimeoutHandler(boolean stopReading, Duration unwritableTimeout) {
    this.stopReading = stopReading;
    this.unwritableTimeout = unwritableTimeout;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      if (stall != null) {
        stall.cancel(false);
        stall = null;
      }
      if (stopReading) {
        ctx.channel().config().setAutoRead(true);
      }
    } else {
      if (stopReading) {
        ctx.channel().config().setAutoRead(false);
      }
      if (stall == null) {
        stall = ctx.executor().schedule(() -> {
          if (!ctx.channel().isWritable()) {
            ctx.fireExceptionCaught(new LimitExceededException("the peer has not read for "
                + unwritableTimeout.toMillis() + " ms (frpc.unwritable-timeout)"));
          }
        }, unwritableTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (stall != null) {
      stall.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
