package io.frpc.internal.routing;

import io.frpc.CallCancelledException;
import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.FrpcCall;
import io.frpc.FrpcException;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.internal.routing.NodeChoice.Route;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.time.FrpcClock;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One call to one node (by round robin or load, by id, or by key) from its start to its outcome, within one
 * deadline that covers the wait for a node, every attempt and the reply.
 *
 * <p>An attempt that provably did not run — the request was never written, or the node refused it unrun
 * ({@code OVERLOADED}, {@code SHUTTING_DOWN}) — goes to another node of the name at once; an attempt that may
 * have run (the connection closed after the write) is retried only for an idempotent call; a call to a given node
 * id is retried on that node only after a lost connection; a {@code mod} call moves only when its node is gone (the
 * key then maps to another). Retries wait a back-off when they go to a node that failed before, stay within
 * {@code frpc.client.retry.max-attempts} and the node's {@link RetryBudget}, and never outlast the deadline.
 * A hedged call asks one more node each time the hedge delay passes without a reply; the first reply wins.
 *
 * <p>When the call ends — answered, failed, past its deadline, cancelled by its caller or by the call it was made
 * for — every attempt still under way is cancelled, and its node told.
 */
final class OneCall implements Runnable {

  /**
   * How long calls without node id or key pass over a node that refused a call unrun (overloaded, shutting down),
   * while another node is up: about one call per this period then finds out whether it still refuses.
   */
  private static final long REFUSING_NODE_AVOIDED_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Why an attempt failed, for the retry decision. */
  private enum Failure {
    /** The request was never written: the command did not run. */
    NOT_SENT,
    /** The node refused the request without running it. */
    REFUSED,
    /** The connection closed after the write: the command may have run. */
    UNSURE,
    /** Anything else: the call fails with it. */
    FINAL
  }

  private final CallExecutor executor;
  private final CallTarget target;
  private final String command;
  private final Object[] args;
  private final String traceContext;
  /** The call being served on the caller's thread, whose deadline and cancellation this one inherits, or null. */
  private final FrpcCall parent;
  private final FrpcClock clock;
  final long deadlineNanos;
  /** How long the whole call may take, for messages. */
  private final Duration budget;
  private final int maxAttempts;
  final CompletableFuture<InboundResponse> result = new CompletableFuture<>();
  /** The node whose reply completed the call. */
  volatile NodeId repliedBy;

  // guarded by this
  private boolean done;
  /** Attempts under way: usually one, more while hedging. */
  private final List<OutgoingConnection.Request> inFlight = new ArrayList<>(1);
  /** Connections an attempt failed on, avoided by the next attempts while another node is up. */
  private List<OutgoingConnection> failed;
  private int attempts;
  private RuntimeException lastFailure;
  private FrpcClock.ScheduledTask deadlineTimer;
  private FrpcClock.ScheduledTask retryTimer;
  private FrpcClock.ScheduledTask hedgeTimer;
  private Runnable parentListener;

  OneCall(CallExecutor executor, CallTarget target, String command, Object[] args, String traceContext,
      FrpcCall parent, long deadlineNanos, Duration budget) {
    this.executor = executor;
    this.target = target;
    this.command = command;
    this.args = args;
    this.traceContext = traceContext;
    this.parent = parent;
    this.clock = executor.clock();
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
    this.maxAttempts = executor.settings().maxAttempts();
  }

  /** Starts the first attempt, or fails at once when the call it was made for is over. */
  void start() {
    if (parent != null) {
      if (parent.isCancelled()) {
        finish(null, cancelledWithParent());
        return;
      }
      Runnable listener = () -> finish(null, cancelledWithParent());
      synchronized (this) {
        parentListener = listener;
      }
      parent.addCancelListener(listener);
    }
    long left = deadlineNanos - clock.nanoTime();
    if (left <= 0) {
      finish(null, new CallTimeoutException("call " + target.module() + "." + command + " to " + target.nodeName()
          + " not sent: its deadline had passed" + (parent == null ? "" : " (inherited from " + parent.command()
          + " served for " + parent.caller() + ")")));
      return;
    }
    synchronized (this) {
      if (done) {
        return;
      }
      deadlineTimer = clock.schedule(this, left, TimeUnit.NANOSECONDS);
      if (target.hedgeAfter() != null && maxAttempts > 1) {
        hedgeTimer = clock.schedule(this::hedge, target.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    executor.retryBudget().called();
    proceed(false);
  }

  /** The deadline passed: the call fails, and the attempts under way are cancelled. */
  @Override
  public void run() {
    finish(null, pastDeadline());
  }

  /** The caller gave up (it cancelled its future, or was interrupted). */
  void cancel(RuntimeException why) {
    finish(null, why);
  }

  /**
   * Sends the next attempt to a connected node, or waits for one within the connect wait and the deadline.
   *
   * @param anyNode whether a node an attempt already failed on may be chosen (after a back-off)
   */
  private void proceed(boolean anyNode) {
    NodeGroup group = executor.group(target.nodeName());
    Route route = choose(group, anyNode, List.of());
    if (route != null) {
      send(route);
      return;
    }
    long left = deadlineNanos - clock.nanoTime();
    Duration connectWait = executor.settings().connectWait();
    Duration wait = connectWait.toNanos() < left ? connectWait : Duration.ofNanos(Math.max(0, left));
    executor.awaitNode(group, target, wait).whenComplete((connection, error) -> {
      if (error != null) {
        finish(null, unwrap(error));
        return;
      }
      Route ready = choose(group, true, List.of());
      send(ready != null ? ready : new Route(connection, target.modKey()));
    });
  }

  /** The route of the next attempt: a node no attempt failed on or is waiting on, unless {@code anyNode}. */
  private Route choose(NodeGroup group, boolean anyNode, List<OutgoingConnection> busy) {
    List<OutgoingConnection> avoid;
    synchronized (this) {
      if (failed == null && busy.isEmpty() || anyNode) {
        avoid = busy;
      } else {
        avoid = new ArrayList<>(busy);
        if (failed != null) {
          avoid.addAll(failed);
        }
      }
    }
    return executor.nodeChoice().choose(group, target, avoid);
  }

  private void send(Route route) {
    long left = deadlineNanos - clock.nanoTime();
    if (left <= 0) {
      run();
      return;
    }
    OutgoingConnection connection = route.connection();
    ByteBuf frame;
    try {
      frame = executor.requestFrame(route, target, command, args, traceContext, left);
    } catch (RuntimeException e) {
      finish(null, e);
      return;
    }
    OutgoingConnection.Request request;
    synchronized (this) {
      if (done) {
        frame.release();
        return;
      }
      attempts++;
      request = connection.call(frame, target.module(), command);
      inFlight.add(request);
    }
    request.reply().whenComplete((response, error) -> attemptDone(request, response, error));
  }

  private void attemptDone(OutgoingConnection.Request request, InboundResponse response, Throwable error) {
    if (error == null) {
      if (response.status() == ResponseStatus.ERROR) {
        RemoteCallException remote = ReplyDecoder.error(executor.codec(), request.connection().node().id(),
            response.body());
        if (remote.code() == RemoteErrorCode.OVERLOADED || remote.code() == RemoteErrorCode.SHUTTING_DOWN) {
          // calls without node id or key pass it over for a moment, rather than each being refused and retried
          request.connection().avoidUntil(clock.nanoTime() + REFUSING_NODE_AVOIDED_NANOS);
          failed(request, remote, Failure.REFUSED);
          return;
        }
      }
      synchronized (this) {
        inFlight.remove(request);
      }
      repliedBy = request.connection().node().id();
      finish(response, null);
      return;
    }
    Throwable cause = unwrap(error);
    Failure kind = cause instanceof ConnectionLostException lost ? lost.mayHaveRun() ? Failure.UNSURE
        : Failure.NOT_SENT : Failure.FINAL;
    failed(request, cause instanceof RuntimeException runtime ? runtime
        : new FrpcException(String.valueOf(cause.getMessage()), cause), kind);
  }

  /** An attempt failed: the call retries, waits for a hedge still under way, or fails. */
  private void failed(OutgoingConnection.Request request, RuntimeException failure, Failure kind) {
    synchronized (this) {
      if (done) {
        return;
      }
      inFlight.remove(request);
      lastFailure = failure;
      if (!inFlight.isEmpty()) {
        return;
      }
      if (!mayRetry(kind)) {
        kind = Failure.FINAL;
      } else {
        if (failed == null) {
          failed = new ArrayList<>(2);
        }
        failed.add(request.connection());
      }
    }
    if (kind == Failure.FINAL) {
      finish(null, failure);
      return;
    }
    NodeGroup group = executor.group(target.nodeName());
    Route elsewhere = choose(group, false, List.of());
    boolean sameNode = elsewhere == null || elsewhere.connection() == request.connection();
    if (sameNode && (kind == Failure.REFUSED)) {
      // a node that refused is not asked again; there is no other
      finish(null, failure);
      return;
    }
    if (!executor.retryBudget().tryRetry()) {
      executor.instrumentation().retryDenied(target, command);
      finish(null, failure);
      return;
    }
    executor.instrumentation().retried(target, command, kind == Failure.UNSURE ? "RETRY" : "FAILOVER");
    if (!sameNode) {
      send(elsewhere);
      return;
    }
    long delay = executor.retryDelayNanos(attempts());
    if (delay >= deadlineNanos - clock.nanoTime()) {
      finish(null, failure);
      return;
    }
    synchronized (this) {
      if (!done) {
        retryTimer = clock.schedule(() -> proceed(true), delay, TimeUnit.NANOSECONDS);
      }
    }
  }

  private boolean mayRetry(Failure kind) {
    if (kind == Failure.FINAL || attempts >= maxAttempts) {
      return false;
    }
    if (kind == Failure.UNSURE && !target.idempotent()) {
      return false;
    }
    // a named node that refused has no stand-in
    return kind != Failure.REFUSED || target.nodeId() == null;
  }

  private synchronized int attempts() {
    return attempts;
  }

  /** The hedge delay passed without a reply: one more node is asked, if the budget allows and one is left. */
  private void hedge() {
    List<OutgoingConnection> busy = new ArrayList<>(2);
    synchronized (this) {
      hedgeTimer = null;
      if (done || attempts >= maxAttempts || inFlight.isEmpty()) {
        return;
      }
      for (OutgoingConnection.Request request : inFlight) {
        busy.add(request.connection());
      }
    }
    Route route = choose(executor.group(target.nodeName()), false, busy);
    if (route == null || busy.contains(route.connection())) {
      return;
    }
    if (!executor.retryBudget().tryRetry()) {
      executor.instrumentation().retryDenied(target, command);
      return;
    }
    executor.instrumentation().retried(target, command, "HEDGE");
    send(route);
    synchronized (this) {
      if (!done && attempts < maxAttempts) {
        hedgeTimer = clock.schedule(this::hedge, target.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * Completes the call once: with {@code response}, or with {@code failure}; cancels the attempts still under way
   * (their nodes are told) and the timers.
   */
  private void finish(InboundResponse response, Throwable failure) {
    List<OutgoingConnection.Request> others;
    Runnable listener;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      others = inFlight.isEmpty() ? List.of() : List.copyOf(inFlight);
      inFlight.clear();
      cancel(deadlineTimer);
      cancel(retryTimer);
      cancel(hedgeTimer);
      listener = parentListener;
    }
    if (listener != null) {
      parent.removeCancelListener(listener);
    }
    if (!others.isEmpty()) {
      RuntimeException reason = failure instanceof RuntimeException runtime ? runtime
          : new FrpcException("another node answered first");
      for (OutgoingConnection.Request other : others) {
        other.cancel(reason);
      }
    }
    if (failure == null) {
      result.complete(response);
    } else {
      result.completeExceptionally(failure);
    }
  }

  private static void cancel(FrpcClock.ScheduledTask task) {
    if (task != null) {
      task.cancel();
    }
  }

  private RuntimeException pastDeadline() {
    OutgoingConnection.Request waiting;
    RuntimeException last;
    synchronized (this) {
      waiting = inFlight.isEmpty() ? null : inFlight.get(0);
      last = lastFailure;
    }
    if (waiting != null) {
      return new CallTimeoutException(waiting.connection().node().id(), target.module(), command, budget);
    }
    return last != null ? last : executor.noNodeFailure(target, budget);
  }

  private CallCancelledException cancelledWithParent() {
    return CallExecutor.cancelledWith(parent, target, command);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
