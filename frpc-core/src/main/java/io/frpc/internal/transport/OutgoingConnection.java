package io.frpc.internal.transport;

import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.RemoteNode;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.GoingAway;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.time.FrpcClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An established outgoing connection to one node: correlates replies with pending calls by request id,
 * frees a pending call when its deadline passes, and fails every pending call at once when the
 * connection closes. Frames the node publishes for this node's subscriptions go to the
 * {@link PublicationSink} set once the connection is in use.
 */
public final class OutgoingConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(OutgoingConnection.class);

  private final RemoteNode node;
  private final Channel channel;
  private final int maxMessageSize;
  private final FrpcClock clock;
  private final Set<String> features;
  private final ConnectionErrors errors;
  private volatile PublicationSink publications;
  /** Runs when the node announces its shutdown (GOING_AWAY); set once the connection is in use. */
  private Runnable goingAwayAction;
  private boolean goingAway;
  /** Whether the connection closes as soon as no call is pending. */
  private volatile boolean closeWhenIdle;
  /** Run once the connection closed, before pending calls fail; guarded by itself. */
  private final List<Runnable> closeActions = new ArrayList<>();
  private boolean closeActionsRan;
  private final ConcurrentHashMap<Integer, PendingCall> pending = new ConcurrentHashMap<>();
  private final AtomicInteger nextRequestId = new AtomicInteger();
  private volatile boolean closed;
  private volatile long rttNanos = -1;
  /** Round trips of calls, replies and deadlines alike: the load signal of least-loaded routing. */
  private final LatencyAverage latency = new LatencyAverage();
  /** Heartbeats sent by {@link #ping}, by their timestamp, completed by the matching PONG. */
  private final ConcurrentHashMap<Long, CompletableFuture<Boolean>> pings = new ConcurrentHashMap<>();

  /** @param clock sets the deadlines of calls and pings and the grace of {@link #closeWhenIdle} */
  OutgoingConnection(RemoteNode node, Channel channel, int maxMessageSize, FrpcClock clock, Set<String> features,
      ConnectionErrors errors) {
    this.node = node;
    this.errors = errors;
    this.channel = channel;
    this.maxMessageSize = maxMessageSize;
    this.clock = clock;
    this.features = features;
    channel.closeFuture().addListener(f -> closed());
  }

  /** The node at the other end. */
  public RemoteNode node() {
    return node;
  }

  /** Whether both sides announced {@code feature} in the handshake. */
  public boolean supports(String feature) {
    return features.contains(feature);
  }

  /** Where pub/sub frames from the node go from now on. */
  public void deliverPublicationsTo(PublicationSink sink) {
    this.publications = sink;
  }

  /**
   * Runs {@code action} on the I/O thread when the node announces a graceful shutdown, or at once if it
   * already has.
   */
  public void onGoingAway(Runnable action) {
    boolean announced;
    synchronized (this) {
      goingAwayAction = action;
      announced = goingAway;
    }
    if (announced) {
      action.run();
    }
  }

  /**
   * Closes the connection once no call is pending, but not before {@code grace} has passed: a caller
   * that picked this connection just before it stopped being routed to still gets its call through.
   */
  public void closeWhenIdle(Duration grace) {
    clock.schedule(() -> {
      closeWhenIdle = true;
      closeIfIdle();
    }, Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void closeIfIdle() {
    if (closeWhenIdle && pending.isEmpty()) {
      channel.close();
    }
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    return !closed && channel.isActive();
  }

  /** Largest message both sides accept. */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** Allocator for frames sent on this connection. */
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  /** Latest heartbeat round-trip time in nanoseconds, or -1 before the first heartbeat answer. */
  public long rttNanos() {
    return rttNanos;
  }

  /** Bytes received on this connection. */
  public long bytesIn() {
    TrafficCounter traffic = channel.pipeline().get(TrafficCounter.class);
    return traffic == null ? 0 : traffic.bytesIn();
  }

  /** Bytes sent on this connection. */
  public long bytesOut() {
    TrafficCounter traffic = channel.pipeline().get(TrafficCounter.class);
    return traffic == null ? 0 : traffic.bytesOut();
  }

  /** Calls waiting for their reply. */
  public int pendingCalls() {
    return pending.size();
  }

  /**
   * Average round trip of this connection's calls in nanoseconds, on the node's clock: rises at once with a slower
   * call, falls over about 10 s (a call that timed out counts as the time it waited); -1 before the first call ended.
   */
  public long latencyNanos() {
    return latency.nanos(clock.nanoTime());
  }

  /** Runs {@code action} once the connection has closed (at once if it already has). */
  public void onClose(Runnable action) {
    boolean now;
    synchronized (closeActions) {
      now = closeActionsRan;
      if (!now) {
        closeActions.add(action);
      }
    }
    if (now) {
      action.run();
    }
  }

  /**
   * The connection closed: first the close actions (the node leaves the routing table), then the pending
   * calls fail, so a caller that retries at once is routed to another node rather than to this one.
   */
  private void closed() {
    List<Runnable> actions;
    synchronized (closeActions) {
      closeActionsRan = true;
      actions = List.copyOf(closeActions);
    }
    closed = true;
    actions.forEach(Runnable::run);
    failAll();
  }

  /** Closes the connection; pending calls fail with {@link ConnectionLostException}. */
  public void close() {
    channel.close();
  }

  /**
   * A PONG arrived for the PING sent at {@code sentNanos}, a reading of this channel's event loop ticker (as
   * every PING's timestamp is); called on that event loop.
   */
  void pong(long sentNanos) {
    rttNanos = channel.eventLoop().ticker().nanoTime() - sentNanos;
    pings.forEach((sent, answer) -> {
      if (sent <= sentNanos && pings.remove(sent, answer)) {
        answer.complete(true);
      }
    });
  }

  /**
   * Sends a heartbeat now; the future completes with {@code true} when the peer answers within
   * {@code timeout}, {@code false} otherwise or when the connection closes.
   */
  public CompletableFuture<Boolean> ping(Duration timeout) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    // stamped on the event loop's ticker, as the heartbeats are, so that its PONG also measures the round trip
    long sent = channel.eventLoop().ticker().nanoTime();
    while (pings.putIfAbsent(sent, answer) != null) {
      sent++;
    }
    long key = sent;
    clock.schedule(() -> {
      if (pings.remove(key, answer)) {
        answer.complete(false);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    channel.writeAndFlush(Frames.heartbeat(channel.alloc(), false, key), channel.voidPromise());
    if (closed) {
      failPings();
    }
    return answer;
  }

  private void failPings() {
    pings.forEach((sent, answer) -> {
      if (pings.remove(sent, answer)) {
        answer.complete(false);
      }
    });
  }

  /**
   * Writes a REQUEST frame (taking ownership of it) and returns the future of its reply. The future
   * fails with {@link CallTimeoutException} when {@code timeout} passes and with
   * {@link ConnectionLostException} when the connection closes first.
   */
  public CompletableFuture<InboundResponse> call(ByteBuf requestFrame, Duration timeout, String module,
      String command) {
    int id = nextRequestId();
    requestFrame.setInt(RequestEnvelope.REQUEST_ID_OFFSET, id);
    PendingCall call = new PendingCall(module, command, timeout);
    call.sentAt = clock.nanoTime();
    pending.put(id, call);
    call.deadline = clock.schedule(() -> expire(id), timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (closed) {
      requestFrame.release();
      fail(id, new ConnectionLostException(node.id(), "connection closed"));
    } else {
      channel.writeAndFlush(requestFrame, channel.voidPromise());
    }
    return call.future;
  }

  /** Writes and flushes a frame that expects no reply, taking ownership of it; failures close the connection. */
  public void write(ByteBuf frame) {
    channel.writeAndFlush(frame, channel.voidPromise());
  }

  /** Writes a frame that expects no reply; the future completes once it is written. */
  public CompletableFuture<Void> send(ByteBuf frame) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    channel.writeAndFlush(frame).addListener(f -> {
      if (f.isSuccess()) {
        written.complete(null);
      } else {
        written.completeExceptionally(new ConnectionLostException(node.id(), String.valueOf(f.cause())));
      }
    });
    return written;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    PublicationSink sink = publications;
    if (sink != null && (msg instanceof PubSubFrames.Publication || msg instanceof PubSubFrames.SubscribeReject)) {
      sink.received(this, msg);
      return;
    }
    if (msg instanceof GoingAway) {
      if (!supports(FrameType.FEATURE_DRAIN)) {
        throw new ProtocolException("GOING_AWAY without the drain feature");
      }
      goingAway();
      return;
    }
    if (!(msg instanceof InboundResponse response)) {
      ReferenceCountUtil.release(msg);
      throw new ProtocolException("unexpected " + msg.getClass().getSimpleName() + " on a client connection");
    }
    PendingCall call = pending.remove(response.requestId());
    if (call == null) {
      log.debug("Reply {} from {} arrived after its call timed out", response.requestId(), node.id());
      return;
    }
    call.finish();
    latency.record(call.sentAt, clock.nanoTime());
    call.future.complete(response);
    closeIfIdle();
  }

  private void goingAway() {
    Runnable action;
    synchronized (this) {
      if (goingAway) {
        return;
      }
      goingAway = true;
      action = goingAwayAction;
    }
    log.debug("Node {} announced its shutdown", node.id());
    if (action != null) {
      action.run();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    errors.logClosing(node.id() + " (" + node.address() + ")", cause);
    ctx.close();
  }

  private int nextRequestId() {
    int id = nextRequestId.incrementAndGet();
    while (id == 0) {
      id = nextRequestId.incrementAndGet();
    }
    return id;
  }

  private void expire(int id) {
    PendingCall call = pending.get(id);
    if (call != null) {
      latency.record(call.sentAt, clock.nanoTime());
      fail(id, new CallTimeoutException(node.id(), call.module, call.command, call.timeout));
    }
  }

  private void fail(int id, RuntimeException error) {
    PendingCall call = pending.remove(id);
    if (call != null) {
      call.finish();
      call.future.completeExceptionally(error);
      closeIfIdle();
    }
  }

  private void failAll() {
    closed = true;
    failPings();
    for (Integer id : pending.keySet()) {
      fail(id, new ConnectionLostException(node.id(), "connection closed while the call was pending"));
    }
  }

  private static final class PendingCall {
    final CompletableFuture<InboundResponse> future = new CompletableFuture<>();
    final String module;
    final String command;
    final Duration timeout;
    volatile FrpcClock.ScheduledTask deadline;
    /** When the call was registered, on the node's clock; set before it is published in {@code pending}. */
    long sentAt;

    PendingCall(String module, String command, Duration timeout) {
      this.module = module;
      this.command = command;
      this.timeout = timeout;
    }

    /**
     * Cancels the deadline. A call can finish (reply, connection closed) before its deadline is set;
     * a deadline set afterwards then fires into an empty map and does nothing.
     */
    void finish() {
      FrpcClock.ScheduledTask scheduled = deadline;
      if (scheduled != null) {
        scheduled.cancel();
      }
    }
  }

  /** Receives the pub/sub frames of a connection, on its I/O thread. */
  public interface PublicationSink {

    /** A {@link PubSubFrames.Publication} or {@link PubSubFrames.SubscribeReject} arrived. */
    void received(OutgoingConnection connection, Object frame);
  }
}
