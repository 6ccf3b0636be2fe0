package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pending calls of an outgoing connection: a reply completes its call, a cancelled call is freed and its node told
 * (CANCEL, only to a node that agreed the feature), a close fails pending calls saying whether their request was
 * written, and a draining connection closes once idle but not within its grace (a manual clock).
 */
class OutgoingConnectionTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Payload RESULT = new Payload(new byte[] {1}, 0, 1);

  private final PayloadCodec codec = new PayloadCodec();
  private final ManualClock clock = new ManualClock();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final OutgoingConnection connection = connection(Set.of(FrameType.FEATURE_CANCEL));

  OutgoingConnectionTest() {
    channel.pipeline().addLast(connection);
  }

  private OutgoingConnection connection(Set<String> features) {
    return new OutgoingConnection(new RemoteNode(new NodeId("game", 1), "10.0.0.7", 9000, "boot"), channel, 1 << 20,
        clock, features, new ConnectionErrors(LoggerFactory.getLogger(getClass()), clock));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** Calls {@code svc.echo}; returns the pending call and the request id it was written with. */
  private Call call() {
    OutgoingConnection.Request request = connection.call(frame(), "svc", "echo");
    ByteBuf written = channel.readOutbound();
    int requestId = written.getInt(RequestEnvelope.REQUEST_ID_OFFSET);
    written.release();
    return new Call(request, request.reply(), requestId);
  }

  private ByteBuf frame() {
    return Frames.request(channel.alloc(), new RequestEnvelope(0, true, InstanceSelection.BALANCE, 0, "svc", null,
        "echo", (int) TIMEOUT.toMillis()), codec, new Object[] {"x"});
  }

  private record Call(OutgoingConnection.Request request, CompletableFuture<InboundResponse> reply, int requestId) {
  }

  private static Throwable failure(CompletableFuture<?> future) {
    return future.handle((value, error) -> error).join();
  }

  @Test
  void aReplyCompletesItsCallAndFreesIt() {
    Call call = call();

    channel.writeInbound(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));

    assertThat(call.reply()).isCompletedWithValue(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));
    assertThat(connection.pendingCalls()).isZero();
    assertThat(clock.pendingTasks()).as("the connection keeps no timer per call: deadlines are the caller's").isZero();
  }

  @Test
  void aCancelledCallIsFreedAndItsNodeToldWithACancelFrame() {
    Call call = call();

    call.request().cancel(new CallTimeoutException(new NodeId("game", 1), "svc", "echo", TIMEOUT));

    assertThat(failure(call.reply())).isInstanceOf(CallTimeoutException.class);
    assertThat(connection.pendingCalls()).isZero();
    ByteBuf cancel = channel.readOutbound();
    try {
      assertThat(cancel.getByte(4)).isEqualTo(FrameType.CANCEL);
      assertThat(cancel.getInt(5)).isEqualTo(call.requestId());
    } finally {
      cancel.release();
    }
  }

  @Test
  void aNodeWithoutTheCancelFeatureIsNotSentCancel() {
    EmbeddedChannel old = new EmbeddedChannel();
    OutgoingConnection olderPeer = new OutgoingConnection(new RemoteNode(new NodeId("game", 2), "10.0.0.8", 9000,
        "boot"), old, 1 << 20, clock, Set.of(), new ConnectionErrors(LoggerFactory.getLogger(getClass()), clock));
    old.pipeline().addLast(olderPeer);
    OutgoingConnection.Request request = olderPeer.call(frame(), "svc", "echo");
    ((ByteBuf) old.readOutbound()).release();

    request.cancel(new CallTimeoutException(new NodeId("game", 2), "svc", "echo", TIMEOUT));

    assertThat(failure(request.reply())).isInstanceOf(CallTimeoutException.class);
    assertThat((Object) old.readOutbound()).as("nothing more is written").isNull();
    old.finishAndReleaseAll();
  }

  @Test
  void cancellingAnAnsweredCallWritesNothing() {
    Call call = call();
    channel.writeInbound(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));

    call.request().cancel(new CallTimeoutException(new NodeId("game", 1), "svc", "echo", TIMEOUT));

    assertThat(call.reply()).isCompletedWithValue(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void aReplyAfterTheCallWasCancelledFindsNoCallAndIsDropped() {
    Call call = call();
    call.request().cancel(new CallTimeoutException(new NodeId("game", 1), "svc", "echo", TIMEOUT));
    ((ByteBuf) channel.readOutbound()).release();

    channel.writeInbound(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));

    assertThat(call.reply()).isCompletedExceptionally();
    assertThat(channel.isOpen()).as("a late reply is not a protocol violation").isTrue();
  }

  @Test
  void aCallWrittenBeforeTheConnectionClosedMayHaveRun() {
    Call call = call();

    channel.close();

    assertThat(failure(call.reply())).isInstanceOfSatisfying(ConnectionLostException.class,
        lost -> assertThat(lost.mayHaveRun()).isTrue());
  }

  @Test
  void aCallOnAClosedConnectionProvablyDidNotRun() {
    channel.close();

    OutgoingConnection.Request request = connection.call(frame(), "svc", "echo");

    assertThat(failure(request.reply())).isInstanceOfSatisfying(ConnectionLostException.class,
        lost -> assertThat(lost.mayHaveRun()).isFalse());
  }

  @Test
  void aCallWrittenOnTheIoThreadWhoseWriteFailsIsTakenAsPossiblyRunAndClosesTheConnection() {
    // an embedded channel runs every call on its event loop: the I/O-thread path, which makes no promise per write
    channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.setFailure(new IOException("broken pipe"));
      }
    });

    OutgoingConnection.Request request = connection.call(frame(), "svc", "echo");

    assertThat(channel.isOpen()).isFalse();
    assertThat(failure(request.reply())).isInstanceOfSatisfying(ConnectionLostException.class,
        lost -> assertThat(lost.mayHaveRun()).as("conservative: not known to be unsent").isTrue());
    assertThat(connection.pendingCalls()).isZero();
  }

  @Test
  void aDrainingConnectionClosesOnceItsLastCallIsAnsweredButNotWithinTheGrace() {
    Call call = call();
    connection.closeWhenIdle(Duration.ofMillis(250));

    clock.advance(Duration.ofMillis(249));
    assertThat(channel.isOpen()).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(channel.isOpen()).as("a call is still pending").isTrue();

    channel.writeInbound(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anIdleDrainingConnectionClosesWhenTheGraceHasPassed() {
    connection.closeWhenIdle(Duration.ofMillis(250));

    clock.advance(Duration.ofMillis(249));
    assertThat(channel.isOpen()).as("a caller that just picked it still gets its call through").isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aProbeIsAnsweredByAPongAndMeasuresTheRoundTripOnTheEventLoopsTicker() {
    channel.freezeTime();
    CompletableFuture<Boolean> probe = connection.ping(TIMEOUT);
    long stamp = pingTimestamp();

    channel.advanceTimeBy(3, TimeUnit.MILLISECONDS);
    connection.pong(stamp);

    assertThat(probe).isCompletedWithValue(true);
    assertThat(connection.rttNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
  }

  @Test
  void aProbeWithoutAnAnswerFailsWhenItsTimeoutHasPassedOnTheNodesClock() {
    CompletableFuture<Boolean> probe = connection.ping(TIMEOUT);
    pingTimestamp();

    clock.advance(TIMEOUT.minusMillis(1));
    assertThat(probe).isNotDone();
    clock.advance(Duration.ofMillis(1));
    assertThat(probe).isCompletedWithValue(false);
    assertThat(connection.rttNanos()).as("no heartbeat answered yet").isEqualTo(-1);
  }

  /** The timestamp of the PING just written: after the length and the type. */
  private long pingTimestamp() {
    ByteBuf ping = channel.readOutbound();
    long stamp = ping.getLong(4 + 1);
    ping.release();
    return stamp;
  }
}
