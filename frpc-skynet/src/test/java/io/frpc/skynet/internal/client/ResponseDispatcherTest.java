package io.frpc.skynet.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.ConnectionLostException;
import io.frpc.NodeId;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The last handler of a connection, driven on an {@link EmbeddedChannel}: no socket, no handshake. */
class ResponseDispatcherTest {

  private final NodeConnection connection = new NodeConnection(
      new RemoteNodeSettings(new NodeId("lua", 1), "127.0.0.1", 1, null, false), null, null, 0);
  private final ResponseDispatcher dispatcher = new ResponseDispatcher(connection,
      SkynetHandshake.skynetFly(java.time.Duration.ofSeconds(10)), 1_000_000_000L, 2);
  private final EmbeddedChannel channel = new EmbeddedChannel(dispatcher);

  @Test
  void aResponseCompletesTheCallOfItsSessionOnly() {
    PendingCall first = call(1);
    PendingCall second = call(2);

    channel.writeInbound(new SkynetResponse(2, true, new byte[] {4}));

    assertThat(second.response).isCompletedWithValue(new SkynetResponse(2, true, new byte[] {4}));
    assertThat(first.response).isNotDone();
    assertThat(dispatcher.pendingCount()).isEqualTo(1);
  }

  @Test
  void aResponseForASessionNoCallWaitsForIsDropped() {
    PendingCall waiting = call(1);

    channel.writeInbound(new SkynetResponse(9, true, new byte[0]));

    assertThat(waiting.response).isNotDone();
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void onCloseAWrittenCallMayHaveRunAndAnUnwrittenOneDidNot() {
    PendingCall written = call(1);
    written.written = true;
    PendingCall unwritten = call(2);

    channel.close();

    assertThat(written.response).failsWithin(java.time.Duration.ZERO).withThrowableThat().havingCause()
        .isInstanceOfSatisfying(ConnectionLostException.class, e -> assertThat(e.mayHaveRun()).isTrue());
    assertThat(unwritten.response).failsWithin(java.time.Duration.ZERO).withThrowableThat().havingCause()
        .isInstanceOfSatisfying(ConnectionLostException.class, e -> assertThat(e.mayHaveRun()).isFalse());
  }

  @Test
  void aCallAddedAfterTheCloseFailsAtOnce() {
    channel.close();
    PendingCall late = call(1);

    assertThat(late.response).isCompletedExceptionally();
    assertThat(dispatcher.pendingCount()).isZero();
  }

  @Test
  void theConnectionHoldsAtMostItsBoundOfPendingCallsAndFreesASlotPerCompletion() {
    call(1);
    call(2);

    assertThat(dispatcher.add(new PendingCall(3, "m", "c"))).isFalse();
    assertThat(dispatcher.isFull()).isTrue();
    channel.writeInbound(new SkynetResponse(1, true, new byte[0]));
    assertThat(dispatcher.add(new PendingCall(3, "m", "c"))).isTrue();
  }

  @Test
  void aSessionStillPendingIsNotTakenTwice() {
    call(1);

    assertThat(dispatcher.add(new PendingCall(1, "m", "c"))).isFalse();
    assertThat(dispatcher.isFull()).isFalse();
  }

  private PendingCall call(long session) {
    PendingCall call = new PendingCall(session, "m", "c");
    assertThat(dispatcher.add(call)).isTrue();
    return call;
  }
}
