package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.CallTimeoutException;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The load signal an outgoing connection gives least-loaded routing, against a manual clock: the round trip of
 * each answered call, and a call given up (its deadline passed) counting as the time it waited.
 */
class OutgoingConnectionLatencyTest {

  private static final Payload RESULT = new Payload(new byte[] {1}, 0, 1);

  private final PayloadCodec codec = new PayloadCodec();
  private final ManualClock clock = new ManualClock();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final OutgoingConnection connection = new OutgoingConnection(new RemoteNode(new NodeId("game", 1), "10.0.0.7",
      9000, "boot"), channel, 1 << 20, clock, Set.of(), new ConnectionErrors(LoggerFactory.getLogger(getClass()),
      clock));

  OutgoingConnectionLatencyTest() {
    channel.pipeline().addLast(connection);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** Calls {@code svc.echo}; returns the pending call and the request id it was written with. */
  private Call call(Duration timeout) {
    ByteBuf frame = Frames.request(channel.alloc(), new RequestEnvelope(0, true, InstanceSelection.BALANCE, 0,
        "svc", null, "echo", (int) timeout.toMillis()), codec, new Object[] {"x"});
    OutgoingConnection.Request request = connection.call(frame, "svc", "echo");
    ByteBuf written = channel.readOutbound();
    int requestId = written.getInt(RequestEnvelope.REQUEST_ID_OFFSET);
    written.release();
    return new Call(request, requestId);
  }

  private record Call(OutgoingConnection.Request request, int requestId) {
  }

  @Test
  void beforeAnyCallEndedTheLatencyIsUnknown() {
    call(Duration.ofSeconds(1));
    clock.advance(Duration.ofMillis(5));

    assertThat(connection.latencyNanos()).isEqualTo(-1);
  }

  @Test
  void aReplyRecordsItsRoundTripOnTheNodesClock() {
    int requestId = call(Duration.ofSeconds(1)).requestId();
    clock.advance(Duration.ofMillis(3));

    channel.writeInbound(new InboundResponse(requestId, ResponseStatus.OK, RESULT));

    assertThat(connection.latencyNanos()).isEqualTo(Duration.ofMillis(3).toNanos());
  }

  @Test
  void aCallGivenUpAtItsDeadlineCountsAsASampleOfTheTimeItWaitedSoAHungNodeLooksSlow() {
    int answered = call(Duration.ofSeconds(1)).requestId();
    clock.advance(Duration.ofMillis(1));
    channel.writeInbound(new InboundResponse(answered, ResponseStatus.OK, RESULT));

    Call hung = call(Duration.ofMillis(500));
    clock.advance(Duration.ofMillis(500));
    hung.request().cancel(new CallTimeoutException(new NodeId("game", 1), "svc", "echo", Duration.ofMillis(500)));

    assertThat(connection.pendingCalls()).isZero();
    assertThat(connection.latencyNanos()).isEqualTo(Duration.ofMillis(500).toNanos());
  }
}
