package io.frpc.internal.routing;

import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.time.FrpcClock;
import java.util.concurrent.CompletableFuture;

/**
 * Measures calls and sends ({@link FrpcObserver}) and traces them ({@link FrpcTracer}). A call is started
 * on the caller's thread, so its client span continues the caller's trace; with neither an observer nor a
 * tracer nothing is measured or allocated. Durations are measured on the node's clock.
 */
final class Instrumentation {

  private final FrpcObserver observer;
  private final FrpcTracer tracer;
  private final boolean observed;
  private final boolean traced;
  private final FrpcClock clock;

  Instrumentation(FrpcObserver observer, FrpcTracer tracer, FrpcClock clock) {
    this.observer = observer;
    this.tracer = tracer;
    this.clock = clock;
    this.observed = observer != FrpcObserver.NONE;
    this.traced = tracer != FrpcTracer.NONE;
  }

  /** A call or send to one node starts on this thread: measured and traced. */
  Call start(CallTarget target, String command) {
    return observed || traced ? new Call(observed ? observer : null, target, command, traced
        ? tracer.callStarted(target.nodeName(), target.module(), command) : FrpcTracer.ClientSpan.NONE, clock)
        : Call.NONE;
  }

  /** A call or send to every node starts on this thread: traced as one; each node is measured on its own. */
  Call startForAll(CallTarget target, String command) {
    return traced ? new Call(null, target, command, tracer.callStarted(target.nodeName(), target.module(),
        command), clock) : Call.NONE;
  }

  /** Measures one node's part of an all-nodes call as it completes. */
  <T> CompletableFuture<T> measureCall(CompletableFuture<T> call, CallTarget target, String command) {
    return observed ? new Call(observer, target, command, FrpcTracer.ClientSpan.NONE, clock).calling(call) : call;
  }

  /** Measures one node's part of an all-nodes send as it completes. */
  <T> CompletableFuture<T> measureSend(CompletableFuture<T> send, CallTarget target, String command) {
    return observed ? new Call(observer, target, command, FrpcTracer.ClientSpan.NONE, clock).sending(send) : send;
  }

  /**
   * A call to {@code target} is attempted once more: {@code kind} is {@code FAILOVER} (the last attempt did not
   * run), {@code RETRY} (it may have run; the call is idempotent) or {@code HEDGE}.
   */
  void retried(CallTarget target, String command, String kind) {
    if (observed) {
      observer.callRetried(target.nodeName(), target.module(), command, kind);
    }
  }

  /** A retry or hedge of a call to {@code target} was refused: the retry budget is spent. */
  void retryDenied(CallTarget target, String command) {
    if (observed) {
      observer.retryDenied(target.nodeName(), target.module(), command);
    }
  }

  /** One call or send being measured (when it has an observer) and traced. */
  static final class Call {

    /** Neither measured nor traced. */
    static final Call NONE = new Call(null, null, null, FrpcTracer.ClientSpan.NONE, null);

    private final FrpcObserver observer;
    private final CallTarget target;
    private final String command;
    private final FrpcTracer.ClientSpan span;
    private final FrpcClock clock;
    private final long started;

    private Call(FrpcObserver observer, CallTarget target, String command, FrpcTracer.ClientSpan span,
        FrpcClock clock) {
      this.observer = observer;
      this.target = target;
      this.command = command;
      this.span = span;
      this.clock = clock;
      this.started = observer != null ? clock.nanoTime() : 0;
    }

    /** The trace context to send, or null. */
    String traceContext() {
      return span.traceContext();
    }

    /** The call ended; {@code error} is null when it succeeded. */
    void called(Throwable error) {
      if (observer != null) {
        observer.callCompleted(target.nodeName(), target.module(), command, Outcomes.of(error),
            clock.nanoTime() - started);
      }
      span.end(error);
    }

    /** The send was written ({@code error} null) or failed. */
    void sent(Throwable error) {
      if (observer != null) {
        observer.sendCompleted(target.nodeName(), target.module(), command, Outcomes.of(error));
      }
      span.end(error);
    }

    <T> CompletableFuture<T> calling(CompletableFuture<T> call) {
      return this == NONE ? call : call.whenComplete((result, error) -> called(error));
    }

    <T> CompletableFuture<T> sending(CompletableFuture<T> send) {
      return this == NONE ? send : send.whenComplete((result, error) -> sent(error));
    }
  }
}
