package io.frpc.internal.module;

import io.frpc.FrpcBytes;
import io.frpc.FrpcCall;
import io.frpc.RemoteErrorCode;
import io.frpc.internal.RateLimitedLog;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.protocol.BroadcastItem;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RemoteError;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.internal.transport.InboundRequestHandler;
import io.frpc.internal.transport.ServedConnection;
import io.frpc.time.FrpcClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Routes requests to instances. {@link #dispatch} runs on the I/O thread and does no more than pick the
 * instance(s) and queue the request in their mailboxes; decoding the arguments, running the command and
 * encoding the reply happen in the instance's turn, on a worker — or, for a handler declared non-blocking,
 * on that I/O thread itself when its arguments are small and its mailbox is short (see {@code Mailbox}).
 */
public final class RequestDispatcher implements InboundRequestHandler {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  /** The tag of a module or command this node does not serve. */
  private static final String UNKNOWN = "(unknown)";
  /** The outcome of a request its caller cancelled: it did not run, or its reply was not sent. */
  private static final String CANCELLED = "CANCELLED";
  /** MDC keys set while a command runs (see docs/operations.md, "Logs"). */
  private static final String MDC_CALLER = "frpc.caller";
  private static final String MDC_MODULE = "frpc.module";
  private static final String MDC_COMMAND = "frpc.command";
  private static final String MDC_TRACE_ID = "traceId";
  private static final int NEW = 0;
  private static final int TRACKED = 1;
  private static final int ANSWERED = 2;
  private static final AtomicIntegerFieldUpdater<Invocation> TRACKING =
      AtomicIntegerFieldUpdater.newUpdater(Invocation.class, "tracking");

  private final ModuleRegistry registry;
  private final PayloadCodec codec;
  private final boolean includeStackTrace;
  private final boolean logContext;
  private final FrpcObserver observer;
  private final boolean observed;
  private final FrpcTracer tracer;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Set once the node's listener stops: requests arriving from then on are refused without running. */
  private volatile boolean refusing;
  /** A peer can make every one of its sends be dropped: one line a minute, not one per send. */
  private final RateLimitedLog droppedSends;
  private final FrpcClock clock;

  /**
   * @param registry          the served modules
   * @param codec             decodes arguments, encodes results
   * @param includeStackTrace whether error replies carry the remote stack trace
   * @param logContext        whether a command runs with the caller, module, command and trace id in the MDC
   * @param observer          told of every request served
   * @param tracer            runs each command in the trace its caller sent
   * @param clock             the node's clock, on which requests are stamped as they arrive
   */
  public RequestDispatcher(ModuleRegistry registry, PayloadCodec codec, boolean includeStackTrace,
      boolean logContext, FrpcObserver observer, FrpcTracer tracer, FrpcClock clock) {
    this.clock = clock;
    this.droppedSends = new RateLimitedLog(log, Duration.ofMinutes(1), clock);
    this.tracer = tracer;
    this.registry = registry;
    this.codec = codec;
    this.includeStackTrace = includeStackTrace;
    this.logContext = logContext;
    this.observer = observer;
    this.observed = observer != FrpcObserver.NONE;
  }

  /** The served modules. */
  public ModuleRegistry registry() {
    return registry;
  }

  /** Requests queued or running on any instance. */
  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void refuseNewRequests() {
    refusing = true;
  }

  /** Routes one request; called on the I/O thread that decoded it. */
  @Override
  public void dispatch(InboundRequest request, ServedConnection target) {
    RequestEnvelope envelope = request.envelope();
    if (refusing) {
      refuse(request, target, null, RemoteErrorCode.SHUTTING_DOWN, "the node is shutting down; the command did "
          + "not run");
      return;
    }
    ServedModule module = registry.module(envelope.module());
    if (module == null) {
      refuse(request, target, null, RemoteErrorCode.UNKNOWN_MODULE, "no module '" + envelope.module()
          + "' is served here (modules: " + registry.moduleNames() + ")");
      return;
    }
    String instanceName = envelope.instanceName();
    if (instanceName != null && !module.hasInstanceName(instanceName)) {
      refuse(request, target, module, RemoteErrorCode.UNKNOWN_INSTANCE, "module '" + module.name()
          + "' has no instances named '" + instanceName + "' (instance names: "
          + module.instanceNames() + ")");
      return;
    }
    InstanceGroup group = module.group(instanceName, envelope.command());
    if (group == null) {
      refuse(request, target, module, RemoteErrorCode.UNKNOWN_COMMAND, (instanceName == null ? "no instance of module '"
          + module.name() : "no instance '" + instanceName + "' of module '" + module.name()) + "' has command '"
          + envelope.command() + "' (commands of " + module.describeCommands(instanceName) + ")");
      return;
    }
    switch (envelope.selection()) {
      case BALANCE -> submitOne(new Invocation(request, target, group.nextBalanced(), null, 0));
      case MOD -> submitOne(new Invocation(request, target, group.byKey(envelope.modKey()), null, 0));
      case BROADCAST -> {
        ModuleInstance[] members = group.members();
        // every instance decodes the arguments for itself, and releases them
        request.arguments().retain(members.length - 1);
        BroadcastReply collector = envelope.replyWanted()
            ? new BroadcastReply(envelope.requestId(), target, members.length) : null;
        Invocation[] invocations = new Invocation[members.length];
        for (int i = 0; i < members.length; i++) {
          invocations[i] = new Invocation(request, target, members[i], collector, i);
        }
        if (collector != null) {
          collector.invocations = invocations;
          target.track(envelope.requestId(), collector);
        }
        for (Invocation invocation : invocations) {
          submit(invocation);
        }
      }
    }
  }

  /**
   * Submits a balance or mod request; a call still queued or running once it is submitted (on this I/O thread, so
   * before any CANCEL for it can be read) is registered as cancellable. One a non-blocking handler ran at once costs
   * nothing more.
   */
  private void submitOne(Invocation invocation) {
    submit(invocation);
    if (invocation.request.envelope().replyWanted()) {
      invocation.trackUnlessAnswered();
    }
  }

  private void submit(Invocation invocation) {
    inFlight.incrementAndGet();
    boolean small = invocation.request.arguments().length() <= Mailbox.INLINE_MAX_ARGUMENT_BYTES;
    Executor ioThread = invocation.target.ioThread();
    invocation.submitting = true;
    boolean accepted = invocation.instance.mailbox().offer(invocation, small,
        ioThread == null ? null : ReadHandOffs.of(ioThread));
    invocation.submitting = false;
    if (!accepted) {
      invocation.releaseArguments();
      inFlight.decrementAndGet();
      invocation.answered();
      invocation.fail(RemoteErrorCode.OVERLOADED, null, "mailbox of " + invocation.instance.describe()
          + " is full (" + invocation.instance.mailbox().capacity + " messages)", null);
      invocation.observe();
    }
  }

  /** Answers a request no instance can run; {@code module} is the served module it named, or null. */
  private void refuse(InboundRequest request, ServedConnection target, ServedModule module, RemoteErrorCode code,
      String message) {
    request.arguments().release();
    answerError(request.envelope(), target, RemoteError.of(code, null, message, null));
    if (observed) {
      // names a peer chose are not tags: only what this node serves is
      observer.requestCompleted(module == null ? UNKNOWN : module.name(), UNKNOWN, code.name(),
          clock.nanoTime() - request.arrivalNanos());
    }
  }

  /**
   * Answers a call with an error; for a send, which has no caller waiting, logs why it was dropped
   * (a command's own exception was already logged with its stack trace).
   */
  private void answerError(RequestEnvelope envelope, ServedConnection target, RemoteError error) {
    if (envelope.replyWanted()) {
      target.replyError(envelope.requestId(), codec, error);
    } else if (error.errorCode() != RemoteErrorCode.COMMAND_FAILED) {
      droppedSends.log("Dropped send " + UntrustedText.escape(envelope.module()) + "."
          + UntrustedText.escape(envelope.command()) + " from " + target.peer() + ": "
          + UntrustedText.escape(error.message()));
    }
  }

  /**
   * Whether a call's caller has stopped waiting: more than the time it had left has passed since the request arrived
   * (the time on the wire is not counted, so this errs towards running it). A send has no caller waiting.
   */
  static boolean callerDeadlinePassed(RequestEnvelope envelope, long arrivalNanos, long nowNanos) {
    return envelope.replyWanted() && envelope.deadlineMillis() > 0
        && nowNanos - arrivalNanos > TimeUnit.MILLISECONDS.toNanos(envelope.deadlineMillis());
  }

  /**
   * One request for one instance; runs on a worker in the instance's turn. As the cancel action of a tracked
   * request it runs on the connection's I/O thread: a request not yet started is then skipped, a running one
   * sees its {@link FrpcCall} cancelled.
   */
  private final class Invocation implements Runnable, Consumer<FrpcBytes> {
    final InboundRequest request;
    final ServedConnection target;
    final ModuleInstance instance;
    final BroadcastReply broadcast;
    final int slot;
    /** SUCCESS, or the error code this request was answered with. */
    String outcome = "SUCCESS";
    volatile boolean cancelled;
    /** The running command's context, while it runs. */
    volatile FrpcCall call;
    /** What the connection runs when the caller cancels this balance or mod call; set before it is tracked. */
    Runnable onCancel;
    /** {@link #NEW}, {@link #TRACKED} (cancellable through the connection) or {@link #ANSWERED}. */
    volatile int tracking;
    /** The I/O thread that dispatched it, the only one that registers it. */
    final Thread dispatchedOn = Thread.currentThread();
    /** Whether {@link #dispatchedOn} is handing it to its mailbox; read by that thread only. */
    boolean submitting;
    /** Whether this invocation's claim on the arguments was given up; used by the thread running it only. */
    private boolean argumentsReleased;
    /** Views of the arguments' memory the command was given, closed when it is done; null when none. */
    private List<FrpcBytes> views;

    Invocation(InboundRequest request, ServedConnection target, ModuleInstance instance, BroadcastReply broadcast,
        int slot) {
      this.request = request;
      this.target = target;
      this.instance = instance;
      this.broadcast = broadcast;
      this.slot = slot;
    }

    @Override
    public void run() {
      if (cancelled) {
        // the caller cancelled it while it waited: it never runs, and nobody waits for an answer
        releaseArguments();
        dropCancelled();
        inFlight.decrementAndGet();
        observe();
        return;
      }
      try {
        execute();
      } catch (RuntimeException | Error e) {
        log.error("Unexpected failure handling {}.{} from {}", UntrustedText.escape(request.envelope().module()),
            UntrustedText.escape(request.envelope().command()), target.peer(), e);
      } finally {
        releaseArguments();
        closeViews();
        if (broadcast == null) {
          answered();
        }
        inFlight.decrementAndGet();
        observe();
      }
    }

    /** Gives up this invocation's claim on the arguments' memory (a large message's pooled chunks), once. */
    void releaseArguments() {
      if (!argumentsReleased) {
        argumentsReleased = true;
        request.arguments().release();
      }
    }

    /** Takes a view of the arguments the command is given, to close when it is done. */
    @Override
    public void accept(FrpcBytes view) {
      if (views == null) {
        views = new ArrayList<>(2);
      }
      views.add(view);
    }

    private void closeViews() {
      if (views != null) {
        views.forEach(FrpcBytes::close);
        views = null;
      }
    }

    /** Ends a request its caller cancelled without answering it. */
    private void dropCancelled() {
      outcome = CANCELLED;
      if (broadcast != null) {
        broadcast.complete(slot, null);
      }
    }

    /** The caller cancelled the request, or its connection closed. */
    void cancel() {
      cancelled = true;
      FrpcCall running = call;
      if (running != null) {
        running.cancel();
      }
    }

    /** Registers a balance or mod call not yet answered with its connection, so that its caller can cancel it. */
    void trackUnlessAnswered() {
      if (tracking != NEW) {
        return;
      }
      onCancel = this::cancel;
      target.track(request.envelope().requestId(), onCancel);
      if (!TRACKING.compareAndSet(this, NEW, TRACKED)) {
        // answered by a worker meanwhile
        target.untrack(request.envelope().requestId(), onCancel);
      }
    }

    /** A balance or mod call was answered (or will not be): its caller can no longer cancel it. */
    void answered() {
      if (tracking == NEW && Thread.currentThread() == dispatchedOn) {
        // run at once by the I/O thread that dispatched it, which registers it (or not) only afterwards
        TRACKING.lazySet(this, ANSWERED);
        return;
      }
      if (TRACKING.getAndSet(this, ANSWERED) == TRACKED) {
        target.untrack(request.envelope().requestId(), onCancel);
      }
    }

    void observe() {
      if (observed) {
        observer.requestCompleted(instance.identity().module(), request.envelope().command(), outcome,
            clock.nanoTime() - request.arrivalNanos());
      }
    }

    private void execute() {
      RequestEnvelope envelope = request.envelope();
      // run at once by the I/O thread that read it, it has waited no longer than that read: no need to look
      boolean ranAtOnce = Thread.currentThread() == dispatchedOn && submitting;
      if (!ranAtOnce && callerDeadlinePassed(envelope, request.arrivalNanos(), clock.nanoTime())) {
        fail(RemoteErrorCode.DEADLINE_EXCEEDED, null, "the caller's deadline of " + envelope.deadlineMillis()
            + " ms passed before " + instance.describe() + " could run it", null);
        return;
      }
      Command command = instance.commands().find(envelope.command());
      Object[] args;
      try {
        args = command.readArguments(codec, request.arguments(), this);
      } catch (IllegalArgumentException e) {
        releaseArguments();
        fail(RemoteErrorCode.BAD_ARGUMENTS, null, "arguments for " + envelope.module() + "."
            + command.signature() + " do not bind: " + e.getMessage(), null);
        return;
      }
      releaseArguments();
      Object result;
      FrpcCall running = envelope.replyWanted() && envelope.deadlineMillis() > 0
          ? new FrpcCall(target.peer(), instance.identity(), command.name(), clock,
              request.arrivalNanos() + TimeUnit.MILLISECONDS.toNanos(envelope.deadlineMillis()),
              instance.mailbox().executor)
          : new FrpcCall(target.peer(), instance.identity(), command.name(), !envelope.replyWanted());
      call = running;
      if (cancelled) {
        running.cancel();
      }
      CallContext.set(running);
      FrpcTracer.ServerScope trace = tracer.requestStarted(envelope.traceContext(), envelope.module(), command.name());
      String traceId = logContext ? enterLogContext(command, trace) : null;
      try {
        result = command.invoke(instance.handler(), args);
        trace.close(running.isCancelled() ? new CancellationException("the caller cancelled the call") : null);
      } catch (Throwable t) {
        trace.close(t);
        if (running.isCancelled()) {
          dropCancelled();
          return;
        }
        if (!envelope.replyWanted()) {
          log.warn("Send {}.{} from {} failed on {}", envelope.module(), envelope.command(), target.peer(),
              instance.describe(), t);
        }
        fail(RemoteErrorCode.COMMAND_FAILED, t.getClass().getName(), String.valueOf(t.getMessage()),
            includeStackTrace ? stackTrace(t) : null);
        return;
      } finally {
        CallContext.clear();
        if (logContext) {
          leaveLogContext(traceId);
        }
      }
      try {
        if (running.isCancelled()) {
          dropCancelled();
        } else if (envelope.replyWanted()) {
          reply(command, result);
        }
      } finally {
        if (result instanceof FrpcBytes bytes) {
          bytes.close();
        }
      }
    }

    /**
     * Puts who called what in the MDC for the command's log lines: strings the connection, the module and the
     * command already hold, so nothing is allocated here beyond the MDC's own entries.
     *
     * @return the trace id put, or null
     */
    private String enterLogContext(Command command, FrpcTracer.ServerScope trace) {
      MDC.put(MDC_CALLER, target.peerText());
      MDC.put(MDC_MODULE, instance.identity().module());
      MDC.put(MDC_COMMAND, command.name());
      String traceId = trace.traceId();
      if (traceId != null) {
        MDC.put(MDC_TRACE_ID, traceId);
      }
      return traceId;
    }

    /** Clears what {@link #enterLogContext} put: frpc's threads carry no log context between commands. */
    private static void leaveLogContext(String traceId) {
      MDC.remove(MDC_CALLER);
      MDC.remove(MDC_MODULE);
      MDC.remove(MDC_COMMAND);
      if (traceId != null) {
        MDC.remove(MDC_TRACE_ID);
      }
    }

    private void reply(Command command, Object result) {
      if (broadcast != null) {
        byte[] bytes;
        try {
          bytes = command.resultWriter().writeValueAsBytes(result);
        } catch (RuntimeException e) {
          fail(RemoteErrorCode.BAD_RESULT, e.getClass().getName(), "result of " + command.signature()
              + " cannot be encoded: " + e.getMessage(), null);
          return;
        }
        broadcast.complete(slot, new BroadcastItem(instance.index(), instance.instanceName(),
            ResponseStatus.OK, new Payload(bytes, 0, bytes.length)));
        return;
      }
      try {
        target.replyOk(request.envelope().requestId(), codec, command.resultWriter(), result);
      } catch (IllegalArgumentException e) {
        fail(RemoteErrorCode.BAD_RESULT, null, "result of " + command.signature() + " " + e.getMessage(), null);
      }
    }

    void fail(RemoteErrorCode code, String type, String message, String stackTrace) {
      outcome = code.name();
      RemoteError error = RemoteError.of(code, type, message, stackTrace);
      if (broadcast == null) {
        answerError(request.envelope(), target, error);
        return;
      }
      byte[] bytes = codec.controlBytes(error);
      broadcast.complete(slot, new BroadcastItem(instance.index(), instance.instanceName(), ResponseStatus.ERROR,
          new Payload(bytes, 0, bytes.length)));
    }
  }

  /**
   * Collects every instance's part of a broadcast call; the last one to finish sends the reply. As the cancel
   * action of the tracked request it cancels every part.
   */
  private final class BroadcastReply implements Runnable {
    private final int requestId;
    private final ServedConnection target;
    private final BroadcastItem[] items;
    private final AtomicInteger remaining;
    Invocation[] invocations;
    private volatile boolean cancelled;

    BroadcastReply(int requestId, ServedConnection target, int count) {
      this.requestId = requestId;
      this.target = target;
      this.items = new BroadcastItem[count];
      this.remaining = new AtomicInteger(count);
    }

    @Override
    public void run() {
      cancelled = true;
      for (Invocation invocation : invocations) {
        invocation.cancel();
      }
    }

    /** One part is done; {@code item} is null for a part cancelled before it could answer. */
    void complete(int slot, BroadcastItem item) {
      items[slot] = item;
      if (remaining.decrementAndGet() == 0) {
        target.untrack(requestId, this);
        if (cancelled) {
          return;
        }
        target.replyBroadcast(requestId, codec, Arrays.asList(items));
      }
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
