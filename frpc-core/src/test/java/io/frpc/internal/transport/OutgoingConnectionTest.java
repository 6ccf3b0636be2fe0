package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundResponse;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.protocol.ResponseStatus;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pending calls of an outgoing connection against a manual clock: a deadline fires exactly at the call's
 * timeout, a reply before it wins, and a draining connection closes once idle but not within its grace.
 */
class OutgoingConnectionTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Payload RESULT = new Payload(new byte[] {1}, 0, 1);

  private final PayloadCodec codec = new PayloadCodec();
  private final ManualClock clock = new ManualClock();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final OutgoingConnection connection = new OutgoingConnection(new RemoteNode(new NodeId("game", 1), "10.0.0.7",
      9000, "boot"), channel, 1 << 20, clock, Set.of(), new ConnectionErrors(LoggerFactory.getLogger(getClass()),
      clock));

  OutgoingConnectionTest() {
    channel.pipeline().addLast(connection);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** Calls {@code svc.echo} with {@code timeout}; returns the reply and the request id it was written with. */
  private Call call(Duration timeout) {
    ByteBuf frame = Frames.request(channel.alloc(), new RequestEnvelope(0, true, InstanceSelection.BALANCE, 0,
        "svc", null, "echo", (int) timeout.toMillis()), codec, new Object[] {"x"});
    CompletableFuture<InboundResponse> reply = connection.call(frame, timeout, "svc", "echo");
    ByteBuf written = channel.readOutbound();
    int requestId = written.getInt(RequestEnvelope.REQUEST_ID_OFFSET);
    written.release();
    return new Call(reply, requestId);
  }

  private record Call(CompletableFuture<InboundResponse> reply, int requestId) {
  }

  @Test
  void aCallFailsWithCallTimeoutExactlyWhenItsTimeoutHasPassed() {
    Call call = call(TIMEOUT);

    clock.advance(TIMEOUT.minusNanos(1));
    assertThat(call.reply()).as("a nanosecond before the deadline").isNotDone();
    assertThat(connection.pendingCalls()).isOne();

    clock.advance(Duration.ofNanos(1));
    assertThat(call.reply()).isCompletedExceptionally();
    assertThat(call.reply().handle((reply, error) -> error).join())
        .isInstanceOf(CallTimeoutException.class)
        .hasMessage("call svc.echo on game:1 timed out after 500 ms");
    assertThat(connection.pendingCalls()).as("the pending call is freed").isZero();
  }

  @Test
  void aReplyBeforeTheDeadlineWinsAndCancelsTheDeadline() {
    Call call = call(TIMEOUT);
    clock.advance(TIMEOUT.minusNanos(1));

    channel.writeInbound(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));

    assertThat(call.reply()).isCompletedWithValue(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));
    assertThat(clock.pendingTasks()).as("the deadline was cancelled").isZero();
    clock.advance(TIMEOUT);
    assertThat(call.reply()).isCompletedWithValue(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));
  }

  @Test
  void aReplyAfterTheDeadlineFindsNoCallAndIsDropped() {
    Call call = call(TIMEOUT);
    clock.advance(TIMEOUT);

    channel.writeInbound(new InboundResponse(call.requestId(), ResponseStatus.OK, RESULT));

    assertThat(call.reply()).isCompletedExceptionally();
    assertThat(channel.isOpen()).as("a late reply is not a protocol violation").isTrue();
  }

  @Test
  void eachCallHasItsOwnDeadline() {
    Call longer = call(Duration.ofSeconds(2));
    clock.advance(Duration.ofMillis(100));
    Call shorter = call(TIMEOUT);

    clock.advance(TIMEOUT);
    assertThat(shorter.reply()).as("500 ms after it was made").isCompletedExceptionally();
    assertThat(longer.reply()).as("600 ms into its 2 s").isNotDone();
    clock.advance(Duration.ofMillis(1400));
    assertThat(longer.reply()).isCompletedExceptionally();
  }

  @Test
  void pendingCallsFailAtOnceWhenTheConnectionClosesAndTheirDeadlinesThenDoNothing() {
    Call call = call(TIMEOUT);

    channel.close();

    assertThat(call.reply().handle((reply, error) -> error).join()).isInstanceOf(ConnectionLostException.class);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aDrainingConnectionClosesOnceItsLastCallIsAnsweredButNotWithinTheGrace() {
    Call call = call(Duration.ofSeconds(5));
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
