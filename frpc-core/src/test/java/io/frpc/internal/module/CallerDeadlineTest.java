package io.frpc.internal.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcCall;
import io.frpc.HandlerDefinition;
import io.frpc.NodeId;
import io.frpc.RemoteErrorCode;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RemoteError;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.internal.transport.ServedConnection;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The callee's side of a caller's deadline and cancellation: a request that waited in its instance's mailbox past its
 * caller's deadline is answered DEADLINE_EXCEEDED instead of being run; one its caller cancelled (CANCEL, or its
 * connection closed) is dropped unrun and unanswered; a running command sees the time its caller has left and its
 * cancellation through FrpcCall. Time is a manual clock; the worker pool is a queue the test drains, so the request
 * waits exactly as long as the test says.
 */
class CallerDeadlineTest {

  private static final int TIMEOUT_MILLIS = 100;

  private final ManualClock clock = new ManualClock();
  private final PayloadCodec codec = new PayloadCodec();
  private final Queue<Runnable> workers = new ArrayDeque<>();
  /** Runs in the middle of {@code room.watch}. */
  private Runnable during = () -> { };
  private final List<String> joined = new CopyOnWriteArrayList<>();
  private final List<ByteBuf> replies = new ArrayList<>();
  /** How each served request's span ended: "ok" or the failure's class. */
  private final List<String> spans = new CopyOnWriteArrayList<>();
  /** The outcome each served request was measured with. */
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private final RequestDispatcher dispatcher = new RequestDispatcher(ModuleRegistry.create(new NodeId("game", 1),
      List.of(HandlerDefinition.of("room", null, 1, identity -> new Room(joined, () -> during.run()))), 100, codec,
      workers::add), codec, false, true, new FrpcObserver() {
        @Override
        public void requestCompleted(String module, String command, String outcome, long nanos) {
          outcomes.add(outcome);
        }
      }, new FrpcTracer() {
        @Override
        public ServerScope requestStarted(String traceContext, String module, String command) {
          return failure -> spans.add(failure == null ? "ok" : failure.getClass().getSimpleName());
        }
      }, clock);
  private final ServedConnection caller = new ServedConnection() {
    @Override
    public NodeId peer() {
      return new NodeId("lobby", 1);
    }

    @Override
    public String peerText() {
      return "lobby:1";
    }

    @Override
    public ByteBufAllocator alloc() {
      return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public int maxMessageSize() {
      return 1 << 20;
    }

    @Override
    public long queuedBytes() {
      return 0;
    }

    @Override
    public void write(ByteBuf frame) {
      replies.add(frame);
    }

    @Override
    public void execute(Runnable task) {
      task.run();
    }

    @Override
    public void track(int requestId, Runnable onCancel) {
      tracked.put(requestId, onCancel);
    }

    @Override
    public void untrack(int requestId, Runnable onCancel) {
      tracked.remove(requestId, onCancel);
    }
  };
  /** The requests the dispatcher registered as cancellable, as the connection keeps them. */
  private final Map<Integer, Runnable> tracked = new ConcurrentHashMap<>();

  /** Handler of module "room". */
  public static final class Room {
    private final List<String> joined;

    private final Runnable during;

    Room(List<String> joined, Runnable during) {
      this.joined = joined;
      this.during = during;
    }

    public String join(String who) {
      joined.add(who);
      return "welcome " + who;
    }

    /** Registers a cancel listener, runs what the test set for the middle of the command, and records both. */
    public String listen(String who) {
      FrpcCall call = FrpcCall.current();
      call.addCancelListener(() -> joined.add("listener"));
      during.run();
      joined.add(who + " cancelled=" + call.isCancelled());
      return "listened";
    }

    /** Runs what the test set for the middle of a command, then records what the command sees of its call. */
    public String watch(String who) {
      during.run();
      FrpcCall call = FrpcCall.current();
      joined.add(who + " remaining=" + call.timeRemaining().map(Duration::toMillis).orElse(-1L) + " cancelled="
          + call.isCancelled());
      return "watched";
    }
  }



  private void arrives(String who, boolean replyWanted, int timeoutMillis) {
    arrives("join", who, replyWanted, timeoutMillis);
  }

  private void arrives(String command, String who, boolean replyWanted, int timeoutMillis) {
    ByteBuf arguments = Unpooled.buffer();
    codec.writeArguments(arguments, new Object[] {who});
    byte[] bytes = ByteBufUtil.getBytes(arguments);
    arguments.release();
    dispatcher.dispatch(new InboundRequest(new RequestEnvelope(7, replyWanted, InstanceSelection.BALANCE, 0, "room",
        null, command, timeoutMillis), new Payload(bytes, 0, bytes.length), clock.nanoTime()), caller);
  }

  /** The caller cancels request 7, as the connection does when CANCEL arrives or the connection closes. */
  private void callerCancels() {
    Runnable onCancel = tracked.remove(7);
    assertThat(onCancel).as("the request is registered as cancellable").isNotNull();
    onCancel.run();
  }


  private void workersRun() {
    for (Runnable task = workers.poll(); task != null; task = workers.poll()) {
      task.run();
    }
  }

  /** The status of the only reply, and its error when it is one. */
  private RemoteError onlyReplyError() {
    assertThat(replies).hasSize(1);
    ByteBuf frame = replies.remove(0);
    try {
      assertThat(frame.getByte(4)).isEqualTo(FrameType.RESPONSE);
      if (frame.getByte(4 + 1 + 4) != ResponseStatus.ERROR) {
        return null;
      }
      byte[] body = ByteBufUtil.getBytes(frame, 4 + 1 + 4 + 1, frame.readableBytes() - 10);
      return codec.readControl(new Payload(body, 0, body.length), RemoteError.class);
    } finally {
      frame.release();
    }
  }

  @Test
  void aCallQueuedPastItsCallersDeadlineIsAnsweredDeadlineExceededAndNotRun() {
    arrives("alice", true, TIMEOUT_MILLIS);

    clock.advance(Duration.ofMillis(TIMEOUT_MILLIS).plusNanos(1));
    workersRun();

    RemoteError error = onlyReplyError();
    assertThat(error).isNotNull();
    assertThat(error.errorCode()).isEqualTo(RemoteErrorCode.DEADLINE_EXCEEDED);
    assertThat(error.message()).startsWith("the caller's deadline of 100 ms passed before ");
    assertThat(joined).isEmpty();
    assertThat(dispatcher.inFlight()).isZero();
  }

  @Test
  void aCallThatReachesItsInstanceWithinItsTimeoutIsRun() {
    arrives("alice", true, TIMEOUT_MILLIS);

    clock.advance(Duration.ofMillis(TIMEOUT_MILLIS));
    workersRun();

    assertThat(onlyReplyError()).as("an OK reply").isNull();
    assertThat(joined).containsExactly("alice");
  }

  @Test
  void aSendHasNoCallerWaitingAndRunsHoweverLongItWaited() {
    arrives("bob", false, 0);

    clock.advance(Duration.ofMinutes(10));
    workersRun();

    assertThat(joined).containsExactly("bob");
    assertThat(replies).isEmpty();
  }

  @Test
  void theDecisionComparesTheTimeSinceArrivalWithTheCallersTimeout() {
    RequestEnvelope call = new RequestEnvelope(1, true, InstanceSelection.BALANCE, 0, "room", null, "join", 100);
    long arrival = 5_000;
    long timeout = Duration.ofMillis(100).toNanos();

    assertThat(RequestDispatcher.callerDeadlinePassed(call, arrival, arrival + timeout)).isFalse();
    assertThat(RequestDispatcher.callerDeadlinePassed(call, arrival, arrival + timeout + 1)).isTrue();
    assertThat(RequestDispatcher.callerDeadlinePassed(new RequestEnvelope(1, true, InstanceSelection.BALANCE, 0,
        "room", null, "join", 0), arrival, Long.MAX_VALUE)).as("no timeout sent").isFalse();
  }

  @Test
  void aQueuedCallItsCallerCancelledNeverRunsAndIsNotAnswered() {
    arrives("alice", true, TIMEOUT_MILLIS);

    callerCancels();
    workersRun();

    assertThat(joined).as("the command never ran").isEmpty();
    assertThat(replies).as("nobody waits for an answer").isEmpty();
    assertThat(dispatcher.inFlight()).isZero();
    assertThat(outcomes).containsExactly("CANCELLED");
    assertThat(spans).as("no span: the command never started").isEmpty();
  }

  @Test
  void anAnsweredCallIsNoLongerCancellable() {
    arrives("alice", true, TIMEOUT_MILLIS);
    workersRun();

    assertThat(onlyReplyError()).isNull();
    assertThat(tracked).as("forgotten once answered").isEmpty();
  }

  @Test
  void aRunningCommandSeesTheTimeItsCallerHasLeftAndItsCancellationAndItsReplyIsNotSent() {
    arrives("watch", "carol", true, TIMEOUT_MILLIS);
    clock.advance(Duration.ofMillis(30));
    during = this::callerCancels;

    workersRun();

    assertThat(joined).containsExactly("carol remaining=70 cancelled=true");
    assertThat(replies).as("the caller gave up: no reply").isEmpty();
    assertThat(dispatcher.inFlight()).isZero();
    assertThat(spans).as("the trace shows the cancellation").containsExactly("CancellationException");
    assertThat(outcomes).as("and the metrics").containsExactly("CANCELLED");
  }

  @Test
  void aRunningCommandNotCancelledSeesItsDeadlineAndIsAnswered() {
    arrives("watch", "dave", true, TIMEOUT_MILLIS);
    clock.advance(Duration.ofMillis(40));

    workersRun();

    assertThat(joined).containsExactly("dave remaining=60 cancelled=false");
    assertThat(onlyReplyError()).isNull();
  }

  @Test
  void aSendHasNoDeadlineAndCannotBeCancelled() {
    arrives("watch", "erin", false, 0);

    workersRun();

    assertThat(joined).containsExactly("erin remaining=-1 cancelled=false");
    assertThat(tracked).isEmpty();
  }

  @Test
  void aNodeThatStoppedServingRefusesNewCallsUnrunWithShuttingDown() {
    dispatcher.refuseNewRequests();

    arrives("frank", true, TIMEOUT_MILLIS);
    workersRun();

    RemoteError error = onlyReplyError();
    assertThat(error.errorCode()).isEqualTo(RemoteErrorCode.SHUTTING_DOWN);
    assertThat(joined).isEmpty();
  }

  @Test
  void cancelListenersRunOnAWorkerNotOnTheThreadThatReadTheCancel() {
    arrives("listen", "gina", true, TIMEOUT_MILLIS);
    // the connection's I/O thread runs this: it flags the call at once and hands the listeners to a worker
    during = this::callerCancels;

    workersRun();

    assertThat(joined).containsExactly("gina cancelled=true", "listener");
  }
}
