package io.frpc.internal.transport;

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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
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
 * cancels one when its caller gives up, and fails every pending call at once when the connection closes,
 * saying whether its request was written. Frames the node publishes for this node's subscriptions go to the
 * {@link PublicationSink} set once the connection is in use.
 */
public final class OutgoingConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(OutgoingConnection.class);

  private final RemoteNode node;
  private final Channel channel;
  private final ConnectionWrites writes;
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
  private final ConcurrentHashMap<Integer, Request> pending = new ConcurrentHashMap<>();
  private final AtomicInteger nextRequestId = new AtomicInteger();
  private volatile boolean closed;
  private volatile long rttNanos = -1;
  /** Round trips of calls, answered or given up: the load signal of least-loaded routing. */
  private final LatencyAverage latency = new LatencyAverage();
  /** Set by routing: until when (node clock) calls pass this node over, or 0. */
  private volatile long avoidedUntilNanos;
  /** When the current read began (node clock), once {@link #readStamped}: the arrival of its replies. */
  private long readNanos;
  private boolean readStamped;
  /** Heartbeats sent by {@link #ping}, by their timestamp, completed by the matching PONG. */
  private final ConcurrentHashMap<Long, CompletableFuture<Boolean>> pings = new ConcurrentHashMap<>();

  /** @param clock sets the deadlines of calls and pings and the grace of {@link #closeWhenIdle} */
  OutgoingConnection(RemoteNode node, Channel channel, int maxMessageSize, FrpcClock clock, Set<String> features,
      ConnectionErrors errors) {
    this.node = node;
    this.errors = errors;
    this.channel = channel;
    this.writes = new ConnectionWrites(channel);
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

  /**
   * Until when, on the node's clock, calls routed by round robin or load pass this node over while another is up
   * (it refused a call unrun); 0 when never set.
   */
  public long avoidedUntilNanos() {
    return avoidedUntilNanos;
  }

  /** Passes this node over until {@code nanos} on the node's clock (never 0). */
  public void avoidUntil(long nanos) {
    avoidedUntilNanos = nanos == 0 ? 1 : nanos;
  }

  /**
   * Average round trip of this connection's calls in nanoseconds, on the node's clock: rises at once with a slower
   * call, falls over about 10 s (a call given up — past its deadline, or beaten by a hedge — counts as the time it
   * waited); -1 before the first call ended.
   */
  public long latencyNanos() {
    return latency.nanos(clock.nanoTime());
  }

  /** Calls waiting for their reply. */
  public int pendingCalls() {
    return pending.size();
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
    writes.writeAndFlush(Frames.heartbeat(channel.alloc(), false, key), null);
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
   * Writes a REQUEST frame (taking ownership of it); its reply completes {@link Request#reply()}. The reply fails
   * with {@link ConnectionLostException} when the connection closes first — saying whether the request may have
   * reached the node — and with whatever {@link Request#cancel} is given. Deadlines are the caller's: the
   * connection keeps a request pending until it is answered, cancelled or the connection closes.
   */
  public Request call(ByteBuf requestFrame, String module, String command) {
    return call(requestFrame, module, command, null);
  }

  /**
   * Writes a REQUEST frame (taking ownership of it); {@code listener} is told the reply, or the failure, once — on
   * the I/O thread that read it, the thread that cancels it, or at once on this thread when the connection is
   * closed. The call path's form of {@link #call(ByteBuf, String, String)}: no future is made.
   */
  public Request call(ByteBuf requestFrame, String module, String command, ReplyListener listener) {
    return call(requestFrame, module, command, listener, clock.nanoTime());
  }

  /**
   * As {@link #call(ByteBuf, String, String, ReplyListener)}, for a caller that has just read the node's clock:
   * {@code nowNanos} is when the call counts as sent, for its round trip.
   */
  public Request call(ByteBuf requestFrame, String module, String command, ReplyListener listener, long nowNanos) {
    int id = nextRequestId();
    requestFrame.setInt(RequestEnvelope.REQUEST_ID_OFFSET, id);
    Request call = new Request(this, id, module, command, nowNanos, listener);
    pending.put(id, call);
    if (closed) {
      requestFrame.release();
      fail(id, new ConnectionLostException(node.id(), "connection closed before the request was written", false));
    } else if (channel.eventLoop().inEventLoop()) {
      // on the I/O thread the frame is flushed now, or queued behind a full socket: either way taken as possibly
      // run, which spares a promise per call where calls are fastest (a failed write closes the connection)
      call.writeState = Request.WRITTEN;
      writes.writeAndFlush(requestFrame, null);
    } else {
      writes.writeAndFlush(requestFrame, call);
    }
    return call;
  }

  /** Writes and flushes a frame that expects no reply, taking ownership of it; failures close the connection. */
  public void write(ByteBuf frame) {
    writes.writeAndFlush(frame, null);
  }

  /** Writes a frame that expects no reply; the future completes once it is written. */
  public CompletableFuture<Void> send(ByteBuf frame) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    writes.writeAndFlush(frame, f -> {
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
    Request call = pending.remove(response.requestId());
    if (call == null) {
      log.debug("Reply {} from {} arrived after its call was given up", response.requestId(), node.id());
      response.body().release();
      return;
    }
    if (!readStamped) {
      readNanos = clock.nanoTime();
      readStamped = true;
    }
    // a read may take in replies to calls sent while it ran
    latency.record(call.sentAt, Math.max(readNanos, call.sentAt));
    call.done(response, null);
    closeIfIdle();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readStamped = false;
    ctx.fireChannelReadComplete();
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

  private boolean fail(int id, RuntimeException error) {
    Request call = pending.remove(id);
    if (call == null) {
      return false;
    }
    call.done(null, error);
    closeIfIdle();
    return true;
  }

  /**
   * Fails the pending calls of a closed connection: those written as possibly run, those whose write failed as
   * not run; a call whose write has not completed yet is failed by its write's outcome, which follows.
   */
  private void failAll() {
    closed = true;
    failPings();
    for (Request call : pending.values()) {
      if (call.writeState == Request.WRITTEN) {
        fail(call.id, new ConnectionLostException(node.id(), "connection closed while the call was pending", true));
      }
    }
  }

  /** One pending call on this connection: its reply, and whether its request reached the socket. */
  public static final class Request implements ChannelFutureListener {
    private static final int UNKNOWN = 0;
    private static final int WRITTEN = 1;
    private static final int NOT_WRITTEN = 2;

    private final OutgoingConnection connection;
    private final int id;
    private final String module;
    private final String command;
    /** Told the outcome, or null when the outcome completes {@link #reply}. */
    private final ReplyListener listener;
    private final CompletableFuture<InboundResponse> reply;
    /** When the call was registered, on the node's clock. */
    private final long sentAt;
    private volatile int writeState = UNKNOWN;
    private volatile boolean completed;

    private Request(OutgoingConnection connection, int id, String module, String command, long sentAt,
        ReplyListener listener) {
      this.connection = connection;
      this.id = id;
      this.module = module;
      this.command = command;
      this.sentAt = sentAt;
      this.listener = listener;
      this.reply = listener == null ? new CompletableFuture<>() : null;
    }

    /**
     * The reply of a call made without a listener; see {@link OutgoingConnection#call(ByteBuf, String, String)}.
     *
     * @throws IllegalStateException for a call made with a listener
     */
    public CompletableFuture<InboundResponse> reply() {
      if (reply == null) {
        throw new IllegalStateException("the call's outcome goes to its listener");
      }
      return reply;
    }

    /** Whether the reply or a failure has been delivered. */
    public boolean completed() {
      return completed;
    }

    /** Delivers the outcome; called once, by whoever removed the call from the pending ones. */
    private void done(InboundResponse response, RuntimeException failure) {
      completed = true;
      if (listener != null) {
        listener.replied(this, response, failure);
      } else if (failure == null) {
        reply.complete(response);
      } else {
        reply.completeExceptionally(failure);
      }
    }

    /** The connection the request went out on. */
    public OutgoingConnection connection() {
      return connection;
    }

    /**
     * Stops waiting for the reply, failing it with {@code failure} unless it is already complete, and tells the
     * node (CANCEL, when it understands it) so that it drops the request or lets a running command know.
     */
    public void cancel(RuntimeException failure) {
      if (!connection.fail(id, failure) || writeState == NOT_WRITTEN) {
        return;
      }
      // the node has not answered in all this time: it is at least this slow
      connection.latency.record(sentAt, connection.clock.nanoTime());
      if (connection.supports(FrameType.FEATURE_CANCEL) && !connection.closed) {
        connection.write(Frames.cancel(connection.alloc(), id));
      }
    }

    /** The write of the request completed (an I/O thread). */
    @Override
    public void operationComplete(ChannelFuture write) {
      if (write.isSuccess()) {
        writeState = WRITTEN;
        if (connection.closed) {
          connection.fail(id, new ConnectionLostException(connection.node.id(),
              "connection closed while the call was pending", true));
        }
      } else {
        writeState = NOT_WRITTEN;
        connection.fail(id, new ConnectionLostException(connection.node.id(), "the request of " + module + "."
            + command + " could not be written (" + write.cause() + ")", false));
      }
    }
  }

  /** Told the outcome of a call. */
  public interface ReplyListener {

    /** {@code request} was answered with {@code response}, or failed with {@code failure} (then response is null). */
    void replied(Request request, InboundResponse response, RuntimeException failure);
  }

  /** Receives the pub/sub frames of a connection, on its I/O thread. */
  public interface PublicationSink {

    /** A {@link PubSubFrames.Publication} or {@link PubSubFrames.SubscribeReject} arrived. */
    void received(OutgoingConnection connection, Object frame);
  }
}
