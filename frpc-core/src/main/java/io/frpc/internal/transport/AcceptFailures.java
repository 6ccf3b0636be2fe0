package io.frpc.internal.transport;

import io.frpc.internal.Backoff;
import io.frpc.internal.RateLimitedLog;
import io.frpc.time.FrpcClock;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * On the listening channel: when accepting fails (most often "Too many open files", the process's descriptor
 * limit reached), stops accepting for a second and says so in one line a minute, instead of Netty's stack trace
 * every second. Connections already open are not affected. The pause runs on the listener's event loop.
 */
@Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {

  /** The same pause after every failure, without jitter: one listener, nothing to spread out. */
  static final Backoff PAUSE = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0);

  private final RateLimitedLog failures;
  /** Draws the pause's jitter (none as configured); only the listener's event loop uses it. */
  private final SplittableRandom random = new SplittableRandom();

  /** @param clock paces the log line */
  AcceptFailures(Logger log, FrpcClock clock) {
    this.failures = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    long pause = PAUSE.delayNanos(1, random);
    failures.log("Cannot accept connections on " + ctx.channel().localAddress() + ": " + cause.getMessage()
        + "; pausing for " + TimeUnit.NANOSECONDS.toMillis(pause) + " ms. If it says 'Too many open files', the "
        + "process may open " + ConnectionLimits.maxFileDescriptors() + " files (ulimit -n): raise the limit or "
        + "lower frpc.server.max-connections");
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), pause, TimeUnit.NANOSECONDS);
    }
  }
}
