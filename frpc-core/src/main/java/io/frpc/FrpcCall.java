package io.frpc;

import io.frpc.internal.module.CallContext;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The command being run on this thread: who called it, which instance runs it, how long its caller still waits
 * and whether it gave up. Available inside a handler method, on the thread frpc runs it on:
 * <pre>{@code
 * public RoomView join(long roomId, Player player) {
 *   NodeId caller = FrpcCall.current().caller();
 *   ...
 * }
 * }</pre>
 * Every frpc call made on that thread (sync, async, typed, broadcast, all nodes) inherits the call's deadline
 * when it is nearer than its own, fails at once once the call is cancelled, and is cancelled with it (its callee
 * is told in turn), so a chain of nested calls never outlives its first caller.
 *
 * <p>The caller's identity is what the calling node asserted in its handshake; frpc checks only that it follows
 * the rule of node names, that no other live connection holds it, and — when {@code frpc.security.secret} is
 * set — that the caller holds the cluster's secret. Any node that holds the secret can claim any name and id,
 * so {@code caller()} says which node this is meant to be, not who may do what: do not base authorization
 * between nodes of one cluster on it.
 */
public final class FrpcCall {

  private final NodeId caller;
  private final FrpcInstance instance;
  private final String command;
  private final boolean send;
  private final FrpcClock clock;
  /** On {@code clock}'s {@code nanoTime()} scale; meaningless without a clock. */
  private final long deadlineNanos;
  /** Where the cancel listeners run, or null for the thread that cancels. */
  private final Executor listenerExecutor;
  private volatile boolean cancelled;
  /** Run once on cancellation; guarded by this; null until the first one is added. */
  private List<Runnable> cancelListeners;

  /**
   * A call without a deadline (a send, or a command run outside frpc, e.g. in a handler's unit test).
   *
   * @param caller   the calling node
   * @param instance the instance running the command
   * @param command  the command name
   * @param send     whether the caller sent it without waiting for a reply
   */
  public FrpcCall(NodeId caller, FrpcInstance instance, String command, boolean send) {
    this(caller, instance, command, send, null, 0L, null);
  }

  /**
   * A call whose caller waits {@code remaining} from now on {@code clock}.
   *
   * @param clock     the clock the deadline is kept on, or {@code null} with {@code remaining} null
   * @param remaining how long the caller still waits, or {@code null} for no deadline
   */
  public FrpcCall(NodeId caller, FrpcInstance instance, String command, boolean send, FrpcClock clock,
      Duration remaining) {
    this(caller, instance, command, send, remaining == null ? null : requireClock(clock),
        remaining == null ? 0 : clock.nanoTime() + remaining.toNanos(), null);
  }

  /**
   * A call whose caller waits until {@code deadlineNanos}, a reading of {@code clock.nanoTime()}, as frpc makes the
   * calls it serves: the deadline is the request's arrival plus the time its caller had left.
   *
   * @param listeners runs the cancel listeners when the call is cancelled (frpc: its workers, so that no listener
   *                  runs on the I/O thread that read the caller's CANCEL)
   */
  public FrpcCall(NodeId caller, FrpcInstance instance, String command, FrpcClock clock, long deadlineNanos,
      Executor listeners) {
    this(caller, instance, command, false, requireClock(clock), deadlineNanos,
        Objects.requireNonNull(listeners, "listeners"));
  }

  private FrpcCall(NodeId caller, FrpcInstance instance, String command, boolean send, FrpcClock clock,
      long deadlineNanos, Executor listeners) {
    this.caller = caller;
    this.instance = instance;
    this.command = command;
    this.send = send;
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
    this.listenerExecutor = listeners;
  }

  private static FrpcClock requireClock(FrpcClock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("a deadline needs the clock it is kept on");
    }
    return clock;
  }

  /**
   * The call being run on this thread.
   *
   * @throws IllegalStateException when called outside a command run by frpc
   */
  public static FrpcCall current() {
    FrpcCall call = CallContext.current();
    if (call == null) {
      throw new IllegalStateException("FrpcCall.current() is only available inside a command that frpc runs, "
          + "on the thread it runs it on");
    }
    return call;
  }

  /** The call being run on this thread, or empty outside a command run by frpc. */
  public static Optional<FrpcCall> find() {
    return Optional.ofNullable(CallContext.current());
  }

  /** The calling node as it named itself in its handshake (asserted by the peer, not proven). */
  public NodeId caller() {
    return caller;
  }

  /** The instance running the command. */
  public FrpcInstance instance() {
    return instance;
  }

  /** The command name. */
  public String command() {
    return command;
  }

  /** Whether the caller sent it without waiting for a reply. */
  public boolean send() {
    return send;
  }

  /** Whether the caller waits until a deadline (a send has none). */
  public boolean hasDeadline() {
    return clock != null;
  }

  /**
   * How long the caller still waits: zero or negative once its deadline passed; empty for a send. Nested calls
   * are given no more than this.
   */
  public Optional<Duration> timeRemaining() {
    return clock == null ? Optional.empty() : Optional.of(Duration.ofNanos(remainingNanos()));
  }

  /** When the caller stops waiting, on the node's wall clock; empty for a send. */
  public Optional<Instant> deadline() {
    return clock == null ? Optional.empty() : Optional.of(clock.instant().plusNanos(remainingNanos()));
  }

  /**
   * Nanoseconds until the deadline ({@link Long#MAX_VALUE} without one), for frpc's nested calls.
   */
  public long remainingNanos() {
    return clock == null ? Long.MAX_VALUE : deadlineNanos - clock.nanoTime();
  }

  /**
   * Whether the caller gave up: its deadline passed, it cancelled the call, its connection closed, or the call
   * it was serving was cancelled in turn. A long command may check it and stop early; its reply is not sent.
   */
  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * Cancels the call, as frpc does when the caller gives up: {@link #isCancelled()} turns true at once, the cancel
   * listeners run (frpc's nested calls made for it are cancelled, their callees told), and nested calls made from
   * now on fail at once. A handler may call it to abandon its own nested calls. Runs at most once.
   */
  public void cancel() {
    List<Runnable> listeners;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      listeners = cancelListeners;
      cancelListeners = null;
    }
    if (listeners == null) {
      return;
    }
    Runnable runAll = () -> listeners.forEach(Runnable::run);
    if (listenerExecutor == null) {
      runAll.run();
      return;
    }
    try {
      listenerExecutor.execute(runAll);
    } catch (RejectedExecutionException e) {
      // the node is shutting down: its workers take no more tasks
      runAll.run();
    }
  }

  /**
   * Runs {@code listener} when the call is cancelled: on an frpc worker when its caller gave up (never on an I/O
   * thread), on the thread that calls {@link #cancel()} otherwise; at once, on this thread, when it already is.
   */
  public void addCancelListener(Runnable listener) {
    synchronized (this) {
      if (!cancelled) {
        if (cancelListeners == null) {
          cancelListeners = new ArrayList<>(2);
        }
        cancelListeners.add(listener);
        return;
      }
    }
    listener.run();
  }

  /** Removes a listener added with {@link #addCancelListener}, e.g. once the work it would stop is done. */
  public synchronized void removeCancelListener(Runnable listener) {
    if (cancelListeners != null) {
      cancelListeners.remove(listener);
    }
  }

  @Override
  public String toString() {
    return "FrpcCall[caller=" + caller + ", instance=" + instance + ", command=" + command + ", send=" + send
        + (clock == null ? "" : ", remaining=" + Duration.ofNanos(remainingNanos())) + (cancelled ? ", cancelled" : "")
        + "]";
  }
}
