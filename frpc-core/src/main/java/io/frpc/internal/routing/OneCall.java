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
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

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
 *
 * <p>Threads: the caller's thread starts it, an I/O thread delivers each attempt's outcome, the timer thread its
 * deadline, back-offs and hedges, any thread a cancellation. Whoever decides the outcome first wins one
 * compare-and-set of {@code state}. A call answered at its first attempt takes no lock; retries and hedges keep
 * their bookkeeping under the call's monitor.
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

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final AtomicIntegerFieldUpdater<OneCall> STATE =
      AtomicIntegerFieldUpdater.newUpdater(OneCall.class, "state");

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

  /** {@link #RUNNING} until the outcome is decided, then {@link #DONE}. */
  private volatile int state;
  /** The first attempt, once written: cancelled if the call ends otherwise. */
  private volatile OutgoingConnection.Request first;
  private volatile FrpcClock.ScheduledTask deadlineTimer;
  private volatile Runnable parentListener;
  /** Whether the call has gone beyond one plain attempt (a failure, a retry, a hedge): see the fields below. */
  private volatile boolean eventful;

  // Guarded by this once the call is eventful; before, written only by the thread sending the first attempt, and
  // read by the thread its outcome reaches (which the pending-call map orders after the write).
  /** Attempts sent, the first included. */
  private int attempts;
  /** Attempts sent whose outcome has not been handled yet. */
  private int outstanding;
  /** Attempts after the first, for cancelling them; null until there is one. */
  private List<OutgoingConnection.Request> later;
  /** Connections an attempt failed on, avoided by the next attempts while another node is up. */
  private List<OutgoingConnection> failed;
  private RuntimeException lastFailure;
  private FrpcClock.ScheduledTask retryTimer;
  private FrpcClock.ScheduledTask hedgeTimer;

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

    /** The reply; from here on the outcome owns it: it decodes it (which releases its body) or releases it. */
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
      parentListener = listener;
      parent.addCancelListener(listener);
    }
    long left = deadlineNanos - now;
    if (left <= 0) {
      finish(new CallTimeoutException("call " + target.module() + "." + command + " to " + target.nodeName()
          + " not sent: its deadline had passed" + (parent == null ? "" : " (inherited from " + parent.command()
          + " served for " + parent.caller() + ")")));
      return;
    }
    deadlineTimer = clock.schedule(this, left, TimeUnit.NANOSECONDS);
    if (target.hedgeAfter() != null && maxAttempts > 1) {
      synchronized (this) {
        eventful = true;
        hedgeTimer = clock.schedule(this::hedge, target.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (state == DONE) {
      // ended meanwhile (cancelled with its parent): its timers may have been set after it looked
      deadlineTimer.cancel();
      return;
    }
    executor.retryBudget().called();
    proceed(false, left);
  }

  /** The deadline passed: the call fails, and the attempts under way are cancelled. */
  @Override
  public void run() {
    if (state == RUNNING) {
      finish(pastDeadline());
    }
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
    Duration wait = executor.connectWait(left);
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
    if (!eventful || anyNode) {
      return executor.nodeChoice().choose(group, target, busy);
    }
    List<OutgoingConnection> avoid;
    synchronized (this) {
      if (failed == null) {
        avoid = busy;
      } else {
        avoid = new ArrayList<>(busy);
        avoid.addAll(failed);
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
    boolean firstAttempt;
    if (eventful) {
      synchronized (this) {
        if (state == DONE) {
          frame.release();
          return;
        }
        attempts++;
        outstanding++;
        firstAttempt = attempts == 1;
      }
    } else {
      if (state == DONE) {
        frame.release();
        return;
      }
      attempts = 1;
      outstanding = 1;
      firstAttempt = true;
    }
    // the outcome may come at once, on this thread: no lock is held while it is delivered
    OutgoingConnection.Request request = connection.call(frame, target.module(), command, this,
        deadlineNanos - left);
    if (firstAttempt) {
      first = request;
    } else {
      synchronized (this) {
        if (later == null) {
          later = new ArrayList<>(2);
        }
        later.add(request);
      }
    }
    if (state == DONE && !request.completed()) {
      // the call ended (deadline, cancellation, another attempt's reply) while this attempt was being written
      request.cancel(new FrpcException("call " + target.module() + "." + command + " ended"));
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
          response.body().release();
          failed(request, remote, Failure.REFUSED);
          return;
        }
      }
      if (STATE.compareAndSet(this, RUNNING, DONE)) {
        ended(request, null);
        outcome.succeeded(request.connection().node().id(), response);
      } else {
        response.body().release();
      }
      return;
    }
    Failure kind = error instanceof ConnectionLostException lost ? lost.mayHaveRun() ? Failure.UNSURE
        : Failure.NOT_SENT : Failure.FINAL;
    failed(request, error, kind);
  }

  /** An attempt failed: the call retries, waits for a hedge still under way, or fails. */
  private void failed(OutgoingConnection.Request request, RuntimeException failure, Failure kind) {
    synchronized (this) {
      if (state == DONE) {
        return;
      }
      eventful = true;
      outstanding--;
      lastFailure = failure;
      if (outstanding > 0) {
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
    if (sameNode && kind == Failure.REFUSED) {
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
      if (state == RUNNING) {
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
      if (state == DONE || attempts >= maxAttempts || outstanding == 0) {
        return;
      }
      for (OutgoingConnection.Request request : underWay()) {
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
      if (state == RUNNING && attempts < maxAttempts) {
        hedgeTimer = clock.schedule(this::hedge, target.hedgeAfter().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Fails the call once with {@code failure}; cancels the attempts still under way (their nodes are told). */
  private void finish(Throwable failure) {
    if (STATE.compareAndSet(this, RUNNING, DONE)) {
      ended(null, failure);
      outcome.failed(failure);
    }
  }

  /**
   * The call is done: its timers are cancelled, it no longer listens to its parent, and the attempts still under way
   * but {@code answered} are cancelled (their nodes told).
   */
  private void ended(OutgoingConnection.Request answered, Throwable failure) {
    FrpcClock.ScheduledTask deadline = deadlineTimer;
    if (deadline != null) {
      deadline.cancel();
    }
    Runnable listener = parentListener;
    if (listener != null) {
      parent.removeCancelListener(listener);
    }
    List<OutgoingConnection.Request> others = List.of();
    if (eventful) {
      synchronized (this) {
        cancel(retryTimer);
        cancel(hedgeTimer);
        others = underWay();
      }
    } else {
      OutgoingConnection.Request only = first;
      if (only != null && only != answered && !only.completed()) {
        others = List.of(only);
      }
    }
    RuntimeException reason = null;
    for (OutgoingConnection.Request other : others) {
      if (other != answered) {
        if (reason == null) {
          reason = failure instanceof RuntimeException runtime ? runtime
              : new FrpcException("another node answered first");
        }
        other.cancel(reason);
      }
    }
  }

  /** The attempts written and not yet answered; called holding the lock. */
  private List<OutgoingConnection.Request> underWay() {
    List<OutgoingConnection.Request> all = new ArrayList<>(2);
    OutgoingConnection.Request only = first;
    if (only != null && !only.completed()) {
      all.add(only);
    }
    if (later != null) {
      for (OutgoingConnection.Request request : later) {
        if (!request.completed()) {
          all.add(request);
        }
      }
    }
    return all;
  }

  private static void cancel(FrpcClock.ScheduledTask task) {
    if (task != null) {
      task.cancel();
    }
  }

  private RuntimeException pastDeadline() {
    OutgoingConnection.Request waiting = first;
    RuntimeException last = null;
    if (waiting == null || waiting.completed() || eventful) {
      synchronized (this) {
        List<OutgoingConnection.Request> open = underWay();
        waiting = open.isEmpty() ? null : open.get(0);
        last = lastFailure;
      }
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
