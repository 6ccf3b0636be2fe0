package io.frpc.internal.transport;

import io.frpc.internal.RateLimitedLog;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * On the listening channel: when accepting fails (most often "Too many open files", the process's descriptor
 * limit reached), stops accepting for a second and says so in one line a minute, instead of Netty's stack trace
 * every second. Connections already open are not affected.
 */
@Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {

  static final long PAUSE_MILLIS = 1000;

  private final RateLimitedLog failures;

  AcceptFailures(Logger log) {
    this.failures = new RateLimitedLog(log, 1, TimeUnit.MINUTES);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    failures.log("Cannot accept connections on " + ctx.channel().localAddress() + ": " + cause.getMessage()
        + "; pausing for " + PAUSE_MILLIS + " ms. If it says 'Too many open files', the process may open "
        + ConnectionLimits.maxFileDescriptors() + " files (ulimit -n): raise the limit or lower "
        + "frpc.server.max-connections");
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
