package io.frpc.internal.routing;

import io.frpc.AllNodesReply;
import io.frpc.AuthenticationException;
import io.frpc.CallCancelledException;
import io.frpc.CallTimeoutException;
import io.frpc.FrpcCall;
import io.frpc.FrpcException;
import io.frpc.InstanceReply;
import io.frpc.MessageTooLargeException;
import io.frpc.NodeId;
import io.frpc.NoNodeConnectedException;
import io.frpc.UnknownNodeNameException;
import io.frpc.internal.Backoff;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.routing.NodeChoice.Route;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.internal.protocol.FrameType;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.time.FrpcClock;
import io.netty.buffer.ByteBuf;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Runs calls and sends for {@code FrpcTemplate}: picks the node(s), waits for one to connect when
 * needed, encodes the request once on the calling thread (once for all nodes of an {@code all} call), and
 * decodes the reply on the calling thread (a synchronous call to one node) or on a callback thread
 * (everything else) — with direct completion on the I/O thread that read it.
 */
public final class CallExecutor {

  private static final Logger log = LoggerFactory.getLogger(CallExecutor.class);
  private static final Object[] NO_ARGS = new Object[0];

  private final RemoteNodes client;
  private final PayloadCodec codec;
  private final Instrumentation instrumentation;
  private final NodeChoice nodeChoice;
  private final RetryBudget retryBudget;
  private final Backoff retryBackoff;
  /** Thread-safe; drawn from only when a call is retried. */
  private final Random retryJitter = new Random();
  private final Map<Type, ReplyDecoder<?>> valueDecoders = new ConcurrentHashMap<>();
  private final Map<Type, ReplyDecoder<?>> broadcastDecoders = new ConcurrentHashMap<>();

  public CallExecutor(RemoteNodes client, PayloadCodec codec, FrpcObserver observer, FrpcTracer tracer) {
    this.client = client;
    this.codec = codec;
    this.instrumentation = new Instrumentation(observer, tracer, client.clock());
    this.nodeChoice = new NodeChoice(client.settings().loadBalancing());
    ClientSettings settings = client.settings();
    this.retryBudget = new RetryBudget(settings.retryBudgetRatio(), settings.retryBudgetMinPerSecond(),
        client.clock());
    this.retryBackoff = Backoff.exponential(settings.retryBackoff(), settings.retryBackoff().multipliedBy(16));
  }

  /** Decoder of a single value of {@code type}; one per type, resolved on first use. */
  @SuppressWarnings("unchecked")
  public <T> ReplyDecoder<T> valueDecoder(Type type) {
    return (ReplyDecoder<T>) valueDecoders.computeIfAbsent(type, t -> ReplyDecoder.value(codec, codec.reader(t)));
  }

  /** Decoder of a broadcast reply whose values are of {@code type}; one per type. */
  @SuppressWarnings("unchecked")
  public <T> ReplyDecoder<List<InstanceReply<T>>> broadcastDecoder(Type type) {
    return (ReplyDecoder<List<InstanceReply<T>>>) broadcastDecoders.computeIfAbsent(type,
        t -> ReplyDecoder.broadcast(codec, codec.reader(t)));
  }

  /**
   * Calls one node and waits for the reply, never past the call's deadline (which covers the wait for a node,
   * retries and the reply).
   */
  public <R> R call(CallTarget target, String command, Object[] args, ReplyDecoder<R> decoder) {
    checkCommand(command);
    client.checkMayBlock();
    Instrumentation.Call call = instrumentation.start(target, command);
    Object[] held = null;
    try {
      held = HeldArguments.hold(args);
      Awaited reply = new Awaited();
      OneCall one = startOne(target, command, held, call.traceContext(), reply);
      InboundResponse response = await(one, reply);
      R result = decoder.decode(reply.node, response);
      call.called(null);
      return result;
    } catch (RuntimeException e) {
      call.called(e);
      throw e;
    } finally {
      if (held != null) {
        HeldArguments.release(args, held);
      }
    }
  }

  /**
   * Calls one node; the future completes on a callback thread, or with direct completion on the I/O thread
   * that read the reply. Cancelling the future cancels the call: the node is told, and drops the request if it
   * has not started it.
   */
  public <R> CompletableFuture<R> callAsync(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    checkCommand(command);
    Instrumentation.Call call = instrumentation.start(target, command);
    Pending<R> result = new Pending<>(decoder, call, client.settings().directCompletion() ? null : client.callbacks());
    Object[] held = HeldArguments.hold(args);
    HeldArguments.releasedWhenDone(args, held, result);
    result.call = startOne(target, command, held, call.traceContext(), result);
    return result;
  }

  /** Starts a call to one node, with its deadline and what it inherits from the call served on this thread. */
  private OneCall startOne(CallTarget target, String command, Object[] args, String traceContext,
      OneCall.Outcome outcome) {
    FrpcCall parent = FrpcCall.find().orElse(null);
    Duration timeout = timeout(target);
    long now = client.clock().nanoTime();
    long deadline = now + timeout.toNanos();
    if (parent != null && parent.hasDeadline()) {
      long inherited = parent.remainingNanos();
      if (inherited < timeout.toNanos()) {
        deadline = now + inherited;
        timeout = Duration.ofNanos(Math.max(0, inherited));
      }
    }
    OneCall one = new OneCall(this, target, command, args == null ? NO_ARGS : args, traceContext, parent, deadline,
        timeout, outcome);
    one.start(now);
    return one;
  }

  /**
   * Waits for a call's reply until its deadline, on the node's clock; then ends it as the deadline timer would,
   * so that a caller never waits past it however late the timer runs.
   */
  private InboundResponse await(OneCall one, Awaited reply) {
    FrpcClock clock = client.clock();
    while (true) {
      long left = one.deadlineNanos - clock.nanoTime();
      try {
        if (left <= 0) {
          one.run();
          return reply.join();
        }
        return reply.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // the clock decides: a manual clock may not have moved
      } catch (ExecutionException | CompletionException e) {
        throw asFrpcException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        one.cancel(new CancellationException("the calling thread was interrupted"));
        reply.releaseUntaken();
        throw new FrpcException("interrupted while waiting", e);
      }
    }
  }

  /** The reply a synchronous caller waits for, and the node that sent it. */
  private static final class Awaited extends CompletableFuture<InboundResponse> implements OneCall.Outcome {
    volatile NodeId node;

    @Override
    public void succeeded(NodeId from, InboundResponse response) {
      node = from;
      complete(response);
    }

    @Override
    public void failed(Throwable failure) {
      completeExceptionally(failure);
    }

    /** Releases a reply that arrived while its caller stopped waiting. */
    void releaseUntaken() {
      if (isDone() && !isCompletedExceptionally()) {
        join().body().release();
      }
    }
  }

  /**
   * The future of an asynchronous call: completed with the decoded reply on a callback thread (or, with direct
   * completion, on the thread that delivered it), measured and traced as it completes; cancelling it cancels the
   * call.
   */
  private static final class Pending<R> extends CompletableFuture<R> implements OneCall.Outcome {
    private final ReplyDecoder<R> decoder;
    private final Instrumentation.Call instrumented;
    /** Where the reply is decoded; null to decode on the thread that delivered it. */
    private final Executor callbacks;
    volatile OneCall call;

    Pending(ReplyDecoder<R> decoder, Instrumentation.Call instrumented, Executor callbacks) {
      this.decoder = decoder;
      this.instrumented = instrumented;
      this.callbacks = callbacks;
    }

    @Override
    public void succeeded(NodeId node, InboundResponse response) {
      if (callbacks == null) {
        decode(node, response);
      } else {
        try {
          callbacks.execute(() -> decode(node, response));
        } catch (RejectedExecutionException e) {
          response.body().release();
          failed(new FrpcException("the node is shutting down: the reply of the call was dropped", e));
        }
      }
    }

    private void decode(NodeId node, InboundResponse response) {
      R value;
      try {
        value = decoder.decode(node, response);
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      instrumented.called(null);
      complete(value);
    }

    @Override
    public void failed(Throwable failure) {
      instrumented.called(failure);
      completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      OneCall started = call;
      if (cancelled && started != null) {
        started.cancel(new CancellationException("the caller cancelled the call"));
      }
      return cancelled;
    }
  }

  /**
   * Decodes a reply where asynchronous calls complete: on a callback thread, or with direct completion on the
   * thread that completed {@code response} (the I/O thread that read it).
   */
  private <R> CompletableFuture<R> completed(CompletableFuture<InboundResponse> response,
      Function<InboundResponse, R> decode) {
    return client.settings().directCompletion() ? response.thenApply(decode)
        : response.thenApplyAsync(decode, client.callbacks());
  }

  /**
   * Sends to one node without waiting for anything: the future completes once the message is written,
   * and fails (and is logged) when no node connects within the connect wait or the write fails. What the
   * command does on the remote node is not reported back.
   */
  public CompletableFuture<Void> send(CallTarget target, String command, Object[] args) {
    checkCommand(command);
    Instrumentation.Call send = instrumentation.start(target, command);
    FrpcCall parent = FrpcCall.find().orElse(null);
    if (parent != null && parent.isCancelled()) {
      return send.sending(logFailure(CompletableFuture.failedFuture(cancelledWith(parent, target, command)), target,
          command));
    }
    Object[] held = HeldArguments.hold(args);
    return send.sending(logFailure(HeldArguments.releasedWhenDone(args, held, routeFor(target,
        connectWait(inherited(parent))).thenCompose(route -> route.connection().send(checked(route.connection(),
        encode(route, target, command, held, false, send.traceContext(), 0))))), target, command));
  }

  /** Calls every connected node of the name and waits for all replies or failures. */
  public <R> AllNodesReply<R> callAll(CallTarget target, String command, Object[] args, ReplyDecoder<R> decoder) {
    client.checkMayBlock();
    // every node's part ends by the deadline, a wait for the first node by the connect wait
    CompletableFuture<AllNodesReply<R>> reply = callAllAsync(target, command, args, decoder);
    try {
      return reply.get();
    } catch (ExecutionException e) {
      throw asFrpcException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.cancel(false);
      throw new FrpcException("interrupted while waiting", e);
    }
  }

  /** Calls every connected node of the name; the future completes where {@link #callAsync}'s do. */
  public <R> CompletableFuture<AllNodesReply<R>> callAllAsync(CallTarget target, String command, Object[] args,
      ReplyDecoder<R> decoder) {
    checkCommand(command);
    Instrumentation.Call call = instrumentation.startForAll(target, command);
    FrpcCall parent = FrpcCall.find().orElse(null);
    if (parent != null && parent.isCancelled()) {
      return call.calling(CompletableFuture.failedFuture(cancelledWith(parent, target, command)));
    }
    Duration timeout = timeout(target);
    long left = Math.min(timeout.toNanos(), inherited(parent));
    long deadline = client.clock().nanoTime() + left;
    List<OutgoingConnection.Request> requests = new ArrayList<>();
    Object[] held = HeldArguments.hold(args);
    CompletableFuture<AllNodesReply<R>> result = call.calling(allConnections(target, connectWait(left))
        .thenCompose(connections -> collect(target, connections, toEach(connections, target, command, held, true,
            call.traceContext(), deadline, (connection, frame) -> {
              OutgoingConnection.Request request = connection.call(frame, target.module(), command);
              synchronized (requests) {
                requests.add(request);
              }
              return instrumentation.measureCall(completed(within(request, deadline, timeout, parent, target,
                  command), response -> decoder.decode(connection.node().id(), response)), target, command);
            }))));
    HeldArguments.releasedWhenDone(args, held, result);
    result.whenComplete((value, error) -> {
      if (error instanceof CancellationException) {
        synchronized (requests) {
          requests.forEach(r -> r.cancel(new CancellationException("the caller cancelled the call")));
        }
      }
    });
    return result;
  }

  /**
   * The reply of one node's part of an all-nodes call, failed (and the node told) when the deadline passes or the
   * call being served on the caller's thread is cancelled.
   */
  private CompletableFuture<InboundResponse> within(OutgoingConnection.Request request, long deadline,
      Duration timeout, FrpcCall parent, CallTarget target, String command) {
    FrpcClock clock = client.clock();
    FrpcClock.ScheduledTask timer = clock.schedule(() -> request.cancel(new CallTimeoutException(
        request.connection().node().id(), target.module(), command, timeout)),
        Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
    Runnable onParentCancel = parent == null ? null
        : () -> request.cancel(cancelledWith(parent, target, command));
    if (onParentCancel != null) {
      parent.addCancelListener(onParentCancel);
    }
    return request.reply().whenComplete((response, error) -> {
      timer.cancel();
      if (onParentCancel != null) {
        parent.removeCancelListener(onParentCancel);
      }
    });
  }

  /**
   * Sends to every connected node of the name without blocking; the reply lists where the send could
   * not be written.
   */
  public CompletableFuture<AllNodesReply<Void>> sendAll(CallTarget target, String command, Object[] args) {
    checkCommand(command);
    Instrumentation.Call send = instrumentation.startForAll(target, command);
    FrpcCall parent = FrpcCall.find().orElse(null);
    if (parent != null && parent.isCancelled()) {
      return send.sending(logFailure(CompletableFuture.failedFuture(cancelledWith(parent, target, command)), target,
          command));
    }
    Object[] held = HeldArguments.hold(args);
    return send.sending(logFailure(HeldArguments.releasedWhenDone(args, held, allConnections(target,
        connectWait(inherited(parent))).thenCompose(connections -> collect(target, connections, toEach(connections,
        target, command, held, false, send.traceContext(), 0, (connection, frame) ->
            instrumentation.measureSend(connection.send(frame), target, command))))), target, command));
  }

  /**
   * Encodes the request once and hands each connection its own copy of the bytes (each patches its own
   * request id into it); a node whose limit the message exceeds fails on its own.
   */
  private <R> List<CompletableFuture<R>> toEach(OutgoingConnection[] connections, CallTarget target, String command,
      Object[] args, boolean replyWanted, String traceContext, long deadlineNanos,
      BiFunction<OutgoingConnection, ByteBuf, CompletableFuture<R>> write) {
    List<CompletableFuture<R>> results = new ArrayList<>(connections.length);
    if (connections.length == 0) {
      return results;
    }
    // one encoding for all: the trace context goes along only if every node understands it
    String traced = traceContext != null
        && Arrays.stream(connections).allMatch(c -> c.supports(FrameType.FEATURE_TRACE)) ? traceContext : null;
    long left = replyWanted ? deadlineNanos - client.clock().nanoTime() : 0;
    if (replyWanted && left <= 0) {
      // a node connected just as the wait for one ended with the deadline
      CallTimeoutException late = new CallTimeoutException("call " + target.module() + "." + command
          + " to every node of " + target.nodeName() + " not sent: its deadline passed while it waited for a node");
      for (int i = 0; i < connections.length; i++) {
        results.add(CompletableFuture.failedFuture(late));
      }
      return results;
    }
    ByteBuf encoded = encode(new Route(connections[0], target.modKey()), target, command, args, replyWanted, traced,
        left);
    try {
      for (OutgoingConnection connection : connections) {
        CompletableFuture<R> result;
        try {
          result = write.apply(connection, checked(connection, encoded.copy()));
        } catch (FrpcException e) {
          result = CompletableFuture.failedFuture(e);
        }
        results.add(result);
      }
    } finally {
      encoded.release();
    }
    return results;
  }

  private <R> CompletableFuture<AllNodesReply<R>> collect(CallTarget target, OutgoingConnection[] connections,
      List<CompletableFuture<R>> results) {
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
      SortedMap<Integer, R> values = new TreeMap<>();
      SortedMap<Integer, FrpcException> failures = new TreeMap<>();
      for (int i = 0; i < connections.length; i++) {
        int id = connections[i].node().id().id();
        try {
          values.put(id, results.get(i).join());
        } catch (CompletionException e) {
          failures.put(id, asFrpcException(e));
        }
      }
      return new AllNodesReply<>(target.nodeName(), values, failures);
    });
  }

  private <T> CompletableFuture<T> logFailure(CompletableFuture<T> sent, CallTarget target, String command) {
    return sent.whenComplete((ok, error) -> {
      if (error != null) {
        log.warn("Send {}.{} to {} failed: {}", target.module(), command, target.nodeName(),
            UntrustedText.escape(unwrap(error).getMessage()));
      }
    });
  }

  /**
   * Picks the node of a send, waiting up to {@code wait} for one to connect when none is. Fails at once for a name
   * discovery can never report.
   */
  private CompletableFuture<Route> routeFor(CallTarget target, Duration wait) {
    NodeGroup group = client.group(target.nodeName());
    Route ready = nodeChoice.choose(group, target);
    return ready != null ? CompletableFuture.completedFuture(ready) : awaitNode(group, target, wait)
        .thenApply(connected -> {
          Route selected = nodeChoice.choose(group, target);
          return selected != null ? selected : new Route(connected, target.modKey());
        });
  }

  /**
   * Waits up to {@code wait} for a node of the group that fits {@code target} to connect. Fails at once for a name
   * discovery can never report, a node that refused to authenticate, or one that announced its shutdown.
   */
  CompletableFuture<OutgoingConnection> awaitNode(NodeGroup group, CallTarget target, Duration wait) {
    String unknown = client.explainUnknownName(target.nodeName());
    if (unknown != null) {
      return CompletableFuture.failedFuture(new UnknownNodeNameException(target.nodeName(), target.nodeId(),
          unknown));
    }
    AuthenticationException denied = client.authenticationFailure(target.nodeName(), target.nodeId());
    if (denied != null) {
      return CompletableFuture.failedFuture(denied);
    }
    NoNodeConnectedException down = client.shutDown(target.nodeName(), target.nodeId());
    if (down != null) {
      return CompletableFuture.failedFuture(down);
    }
    return group.await(target.nodeId(), wait, client.clock())
        .exceptionallyCompose(noNode -> CompletableFuture.failedFuture(noNodeFailure(target, wait)));
  }

  /**
   * Why no node took a call within {@code waited}: a node that refused authentication meanwhile, or the last
   * connection failure, rather than only "no node connected".
   */
  FrpcException noNodeFailure(CallTarget target, Duration waited) {
    AuthenticationException refused = client.authenticationFailure(target.nodeName(), target.nodeId());
    if (refused != null) {
      return refused;
    }
    String lastFailure = client.lastFailure(target.nodeName(), target.nodeId());
    return lastFailure == null ? new NoNodeConnectedException(target.nodeName(), target.nodeId(), waited)
        : new NoNodeConnectedException(target.nodeName(), target.nodeId(), waited, lastFailure);
  }

  private CompletableFuture<OutgoingConnection[]> allConnections(CallTarget target, Duration wait) {
    NodeGroup group = client.group(target.nodeName());
    OutgoingConnection[] connections = group.all();
    if (connections.length > 0) {
      return CompletableFuture.completedFuture(connections);
    }
    return awaitNode(group, target, wait).thenApply(any -> group.all());
  }

  /**
   * The request frame of one attempt of a call, {@code leftNanos} before its deadline; checked against the size
   * limit.
   */
  ByteBuf requestFrame(Route route, CallTarget target, String command, Object[] args, String traceContext,
      long leftNanos) {
    return checked(route.connection(), encode(route, target, command, args, true, traceContext, leftNanos));
  }

  /**
   * Encodes a request; {@code traceContext} is sent when not null and the node understands it. A call carries the
   * time left before its deadline, {@code leftNanos}, rounded up to a millisecond.
   */
  private ByteBuf encode(Route route, CallTarget target, String command, Object[] args, boolean replyWanted,
      String traceContext, long leftNanos) {
    int deadlineMillis = replyWanted ? (int) Math.min(Integer.MAX_VALUE,
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos + 999_999))) : 0;
    RequestEnvelope envelope = new RequestEnvelope(0, replyWanted, target.selection(), route.instanceKey(),
        target.module(), target.instanceName(), command, deadlineMillis,
        traceContext != null && route.connection().supports(FrameType.FEATURE_TRACE) ? traceContext : null);
    try {
      return Frames.request(route.connection().alloc(), envelope, codec, args == null ? NO_ARGS : args);
    } catch (JacksonException e) {
      throw new FrpcException("arguments of " + target.module() + "." + command + " cannot be encoded: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The frame, if the connection's peer accepts its size; otherwise releases it and throws. */
  private static ByteBuf checked(OutgoingConnection connection, ByteBuf frame) {
    int size = Frames.messageSize(frame);
    if (size > connection.maxMessageSize()) {
      frame.release();
      throw new MessageTooLargeException(size, connection.maxMessageSize());
    }
    return frame;
  }

  private Duration timeout(CallTarget target) {
    return target.timeout() != null ? target.timeout() : client.settings().callTimeout();
  }

  /** How long a call or send may wait for a node: the connect wait, but no longer than {@code leftNanos}. */
  Duration connectWait(long leftNanos) {
    Duration wait = client.settings().connectWait();
    return leftNanos < wait.toNanos() ? Duration.ofNanos(Math.max(0, leftNanos)) : wait;
  }

  /** What is left of the deadline of the call served on this thread, or {@link Long#MAX_VALUE}. */
  private static long inherited(FrpcCall parent) {
    return parent == null ? Long.MAX_VALUE : parent.remainingNanos();
  }

  static CallCancelledException cancelledWith(FrpcCall parent, CallTarget target, String command) {
    return new CallCancelledException("call " + target.module() + "." + command + " to " + target.nodeName()
        + " cancelled: the call it was made for (" + parent.command() + " from " + parent.caller()
        + ") was cancelled by its caller");
  }

  // what a call of one node needs from here

  FrpcClock clock() {
    return client.clock();
  }

  ClientSettings settings() {
    return client.settings();
  }

  NodeGroup group(String name) {
    return client.group(name);
  }

  PayloadCodec codec() {
    return codec;
  }

  NodeChoice nodeChoice() {
    return nodeChoice;
  }

  RetryBudget retryBudget() {
    return retryBudget;
  }

  Instrumentation instrumentation() {
    return instrumentation;
  }

  /** The back-off before attempt {@code attempt + 1} on a node that failed before. */
  long retryDelayNanos(int attempt) {
    return retryBackoff.delayNanos(attempt, retryJitter);
  }

  private static void checkCommand(String command) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
  }

  private static FrpcException asFrpcException(Throwable wrapper) {
    Throwable cause = unwrap(wrapper);
    return cause instanceof FrpcException frpc ? frpc : new FrpcException(String.valueOf(cause.getMessage()), cause);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
