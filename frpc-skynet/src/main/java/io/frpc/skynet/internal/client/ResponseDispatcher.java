package io.frpc.skynet.internal.client;

import io.frpc.ConnectionLostException;
import io.frpc.NodeId;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of one RPC connection: it tells its {@link NodeConnection} when the handshake completed, and
 * hands each response to the call waiting for its session. A response for a session no call waits for (a call that
 * timed out) is dropped, as skynet's socketchannel drops it. When the channel closes, every waiting call fails with
 * {@link ConnectionLostException}, which may have run when its request was written. One per channel.
 */
final class ResponseDispatcher extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ResponseDispatcher.class);

  private final NodeConnection connection;
  private final SkynetHandshake handshake;
  private final long handshakeTimeoutNanos;
  /** Calls by session; any thread adds, the event loop, a deadline or a failed write removes. */
  private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
  /** Permits for pending calls: the bound of this connection. */
  private final Semaphore slots;
  /** Set once the channel is inactive: calls added afterwards fail at once. */
  private volatile boolean inactive;
  private ScheduledFuture<?> handshakeDeadline;

  ResponseDispatcher(NodeConnection connection, SkynetHandshake handshake, long handshakeTimeoutNanos,
      int maxPendingCalls) {
    this.connection = connection;
    this.handshake = handshake;
    this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    this.slots = new Semaphore(maxPendingCalls);
  }

  NodeId node() {
    return connection.node().id();
  }

  /**
   * Registers a call under its session. False when the connection has as many pending calls as it may hold or the
   * session is still taken by an older call (after the counter wrapped).
   */
  boolean add(PendingCall call) {
    if (!slots.tryAcquire()) {
      return false;
    }
    if (pending.putIfAbsent(call.session, call) != null) {
      slots.release();
      return false;
    }
    if (inactive && remove(call)) {
      call.response.completeExceptionally(lost(call));
    }
    return true;
  }

  /** Whether the pending calls have room for one more. */
  boolean isFull() {
    return slots.availablePermits() == 0;
  }

  /** Removes the call if it is still pending; true when this caller now owns its completion. */
  boolean remove(PendingCall call) {
    if (pending.remove(call.session, call)) {
      slots.release();
      call.cancelDeadline();
      return true;
    }
    return false;
  }

  int pendingCount() {
    return pending.size();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().localAddress() != null && ctx.channel().localAddress().equals(ctx.channel().remoteAddress())) {
      // a connect to a local port nobody listens on may pick that port as its own (a TCP self-connect)
      connection.failed("connected to itself (nothing listens on " + ctx.channel().remoteAddress() + ")");
      ctx.close();
      return;
    }
    // a safety net behind the handshake's own timeout, for a slot that neither completes nor fails
    handshakeDeadline = ctx.executor().schedule(() -> {
      connection.failed("no handshake within " + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms");
      ctx.close();
    }, handshakeTimeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (handshake.isCompletion(event)) {
      if (handshakeDeadline != null) {
        handshakeDeadline.cancel(false);
      }
      connection.activated(ctx.channel(), this);
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof SkynetResponse response)) {
      log.debug("skynet node {}: dropped unexpected {}", node(), message);
      return;
    }
    PendingCall call = pending.get(response.session());
    if (call == null || !remove(call)) {
      log.debug("skynet node {}: dropped the response of session {}, which no call waits for (timed out?)",
          node(), response.session());
      return;
    }
    call.response.complete(response);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    inactive = true;
    if (handshakeDeadline != null) {
      handshakeDeadline.cancel(false);
    }
    for (PendingCall call : pending.values()) {
      if (remove(call)) {
        call.response.completeExceptionally(lost(call));
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.failed(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    ctx.close();
  }

  /** The loss of a call: it may have run once its request was written, else it provably did not. */
  private ConnectionLostException lost(PendingCall call) {
    return call.written
        ? new ConnectionLostException(node(), "the connection closed with the call pending", true)
        : new ConnectionLostException(node(), "the connection closed before the call was sent", false);
  }
}
