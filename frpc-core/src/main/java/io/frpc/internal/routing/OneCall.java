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
final class OneCall implements Runnable, OutgoingConnection.ReplyListener {

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
  /** Told the outcome, once. */
  private final Outcome outcome;

  // guarded by this
  private boolean done;
  /** The attempt under way (usually the only one), or null. */
  private OutgoingConnection.Request inFlight;
  /** More attempts under way while hedging; null until a hedge is sent. */
  private List<OutgoingConnection.Request> moreInFlight;
  /** Connections an attempt failed on, avoided by the next attempts while another node is up. */
  private List<OutgoingConnection> failed;
  private int attempts;
  private RuntimeException lastFailure;
  private FrpcClock.ScheduledTask deadlineTimer;
  private FrpcClock.ScheduledTask retryTimer;
  private FrpcClock.ScheduledTask hedgeTimer;
  private Runnable parentListener;

  OneCall(CallExecutor executor, CallTarget target, String command, Object[] args, String traceContext,
      FrpcCall parent, long deadlineNanos, Duration budget, Outcome outcome) {
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
    this.outcome = outcome;
  }

  /** Where a call delivers its outcome: the reply and the node that sent it, or why it failed. */
  interface Outcome {

    void succeeded(NodeId node, InboundResponse response);

    void failed(Throwable failure);
  }

  /** Starts the first attempt at {@code now} (the node's clock), or fails at once when the call it serves is over. */
  void start(long now) {
    if (parent != null) {
      if (parent.isCancelled()) {
        finish(cancelledWithParent());
        return;
      }
      Runnable listener = () -> finish(cancelledWithParent());
      synchronized (this) {
        parentListener = listener;
      }
      parent.addCancelListener(listener);
    }
    long left = deadlineNanos - now;
    if (left <= 0) {
      finish(new CallTimeoutException("call " + target.module() + "." + command + " to " + target.nodeName()
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
    proceed(false, left);
  }

  /** The deadline passed: the call fails, and the attempts under way are cancelled. */
  @Override
  public void run() {
    finish(pastDeadline());
  }

  /** The caller gave up (it cancelled its future, or was interrupted). */
  void cancel(RuntimeException why) {
    finish(why);
  }

  /**
   * Sends the next attempt to a connected node, or waits for one within the connect wait and the deadline.
   *
   * @param anyNode whether a node an attempt already failed on may be chosen (after a back-off)
   */
  private void proceed(boolean anyNode, long left) {
    NodeGroup group = executor.group(target.nodeName());
    Route route = choose(group, anyNode, List.of());
    if (route != null) {
      send(route, left);
      return;
    }
    Duration connectWait = executor.settings().connectWait();
    Duration wait = connectWait.toNanos() < left ? connectWait : Duration.ofNanos(Math.max(0, left));
    executor.awaitNode(group, target, wait).whenComplete((connection, error) -> {
      if (error != null) {
        finish(unwrap(error));
        return;
      }
      Route ready = choose(group, true, List.of());
      send(ready != null ? ready : new Route(connection, target.modKey()), deadlineNanos - clock.nanoTime());
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

  /** Sends an attempt on {@code route}, {@code left} nanoseconds before the deadline. */
  private void send(Route route, long left) {
    if (left <= 0) {
      run();
      return;
    }
    OutgoingConnection connection = route.connection();
    ByteBuf frame;
    try {
      frame = executor.requestFrame(route, target, command, args, traceContext, left);
    } catch (RuntimeException e) {
      finish(e);
      return;
    }
    synchronized (this) {
      if (done) {
        frame.release();
        return;
      }
      attempts++;
    }
    // the outcome may come at once, on this thread: no lock is held while it is delivered
    OutgoingConnection.Request request = connection.call(frame, target.module(), command, this);
    boolean orphaned;
    synchronized (this) {
      orphaned = done && !request.completed();
      if (!done && !request.completed()) {
        addInFlight(request);
      }
    }
    if (orphaned) {
      // the call ended (deadline, cancellation) while this attempt was being written
      request.cancel(new CallTimeoutException(connection.node().id(), target.module(), command, budget));
    }
  }

  /** An attempt's reply or failure (an I/O thread, or whoever cancelled it). */
  @Override
  public void replied(OutgoingConnection.Request request, InboundResponse response, RuntimeException error) {
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
      succeeded(request, response);
      return;
    }
    Failure kind = error instanceof ConnectionLostException lost ? lost.mayHaveRun() ? Failure.UNSURE
        : Failure.NOT_SENT : Failure.FINAL;
    failed(request, error, kind);
  }

  /** The reply came: the call completes with it, and any other attempt under way is cancelled. */
  private void succeeded(OutgoingConnection.Request request, InboundResponse response) {
    List<OutgoingConnection.Request> others;
    Runnable listener;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      removeInFlight(request);
      others = takeInFlight();
      cancelTimers();
      listener = parentListener;
    }
    ended(listener, others, null);
    outcome.succeeded(request.connection().node().id(), response);
  }

  /** An attempt failed: the call retries, waits for a hedge still under way, or fails. */
  private void failed(OutgoingConnection.Request request, RuntimeException failure, Failure kind) {
    synchronized (this) {
      if (done) {
        return;
      }
      removeInFlight(request);
      lastFailure = failure;
      if (anyInFlight()) {
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
      finish(failure);
      return;
    }
    NodeGroup group = executor.group(target.nodeName());
    Route elsewhere = choose(group, false, List.of());
    boolean sameNode = elsewhere == null || elsewhere.connection() == request.connection();
    if (sameNode && (kind == Failure.REFUSED)) {
      // a node that refused is not asked again; there is no other
      finish(failure);
      return;
    }
    if (!executor.retryBudget().tryRetry()) {
      executor.instrumentation().retryDenied(target, command);
      finish(failure);
      return;
    }
    executor.instrumentation().retried(target, command, kind == Failure.UNSURE ? "RETRY" : "FAILOVER");
    if (!sameNode) {
      send(elsewhere, deadlineNanos - clock.nanoTime());
      return;
    }
    long delay = executor.retryDelayNanos(attempts());
    if (delay >= deadlineNanos - clock.nanoTime()) {
      finish(failure);
      return;
    }
    synchronized (this) {
      if (!done) {
        retryTimer = clock.schedule(() -> proceed(true, deadlineNanos - clock.nanoTime()), delay,
            TimeUnit.NANOSECONDS);
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
      if (done || attempts >= maxAttempts || !anyInFlight()) {
        return;
      }
      for (OutgoingConnection.Request request : inFlight()) {
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
    send(route, deadlineNanos - clock.nanoTime());
    synchronized (this) {
      if (!done && attempts < maxAttempts) {
        hedgeTimer = clock.schedule(this::hedge, target.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Fails the call once with {@code failure}; cancels the attempts still under way (their nodes are told) and the timers. */
  private void finish(Throwable failure) {
    List<OutgoingConnection.Request> others;
    Runnable listener;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      others = takeInFlight();
      cancelTimers();
      listener = parentListener;
    }
    ended(listener, others, failure);
    outcome.failed(failure);
  }

  // the attempts under way, guarded by this

  private void addInFlight(OutgoingConnection.Request request) {
    if (inFlight == null && moreInFlight == null) {
      inFlight = request;
      return;
    }
    if (moreInFlight == null) {
      moreInFlight = new ArrayList<>(2);
    }
    moreInFlight.add(request);
  }

  private void removeInFlight(OutgoingConnection.Request request) {
    if (inFlight == request) {
      inFlight = null;
    } else if (moreInFlight != null) {
      moreInFlight.remove(request);
    }
  }

  private boolean anyInFlight() {
    return inFlight != null || moreInFlight != null && !moreInFlight.isEmpty();
  }

  private List<OutgoingConnection.Request> inFlight() {
    List<OutgoingConnection.Request> all = new ArrayList<>(2);
    if (inFlight != null) {
      all.add(inFlight);
    }
    if (moreInFlight != null) {
      all.addAll(moreInFlight);
    }
    return all;
  }

  /** The attempts under way, which are no longer tracked. */
  private List<OutgoingConnection.Request> takeInFlight() {
    if (!anyInFlight()) {
      return List.of();
    }
    List<OutgoingConnection.Request> all = inFlight();
    inFlight = null;
    moreInFlight = null;
    return all;
  }

  /** Called holding the lock, once the call is done. */
  private void cancelTimers() {
    cancel(deadlineTimer);
    cancel(retryTimer);
    cancel(hedgeTimer);
  }

  /** The call is done: it no longer listens to its parent, and the attempts still under way are cancelled. */
  private void ended(Runnable parentListener, List<OutgoingConnection.Request> others, Throwable failure) {
    if (parentListener != null) {
      parent.removeCancelListener(parentListener);
    }
    if (!others.isEmpty()) {
      RuntimeException reason = failure instanceof RuntimeException runtime ? runtime
          : new FrpcException("another node answered first");
      for (OutgoingConnection.Request other : others) {
        other.cancel(reason);
      }
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
      waiting = anyInFlight() ? inFlight().get(0) : null;
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
