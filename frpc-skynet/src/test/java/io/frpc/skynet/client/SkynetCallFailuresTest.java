package io.frpc.skynet.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.CallTimeoutException;
import io.frpc.ConnectionLostException;
import io.frpc.FrpcException;
import io.frpc.NoNodeConnectedException;
import io.frpc.NodeId;
import io.frpc.UnknownNodeNameException;
import io.frpc.skynet.LuaValue;
import io.frpc.time.ManualClock;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * How calls fail: timeouts kept on this side (skynet_fly has none) with late responses dropped, no active node,
 * a connection closed with calls pending, too many pending calls, the client closed. Time is a {@link ManualClock}.
 */
class SkynetCallFailuresTest extends FakeNodesSupport {

  private final ManualClock clock = new ManualClock();
  private final FakeLuaServer lua = server(1);

  private SkynetTemplate connectedTemplate(SkynetNodes.Builder builder) {
    return connected(builder.clock(clock), 1).template();
  }

  @Test
  void aCallWithNoResponseWithinItsTimeoutFailsWithCallTimeoutException() throws Exception {
    SkynetTemplate skynet = connectedTemplate(client(lua));
    CompletableFuture<String> call = skynet.module(LUA, "interop_m").timeout(Duration.ofSeconds(2))
        .callAsync("hang", String.class);
    lua.nextRequest();

    clock.advance(Duration.ofMillis(1999));
    assertThat(call).isNotDone();
    clock.advance(Duration.ofMillis(1));

    assertThatThrownBy(() -> call.get(5, SECONDS)).cause().isInstanceOfSatisfying(CallTimeoutException.class,
        e -> assertThat(e.node()).isEqualTo(new NodeId(LUA, 1)));
  }

  @Test
  void theDefaultTimeoutIsFiveSeconds() throws Exception {
    SkynetTemplate skynet = connectedTemplate(client(lua));
    CompletableFuture<String> call = skynet.module(LUA, "interop_m").callAsync("hang", String.class);
    lua.nextRequest();

    clock.advance(Duration.ofMillis(4999));
    assertThat(call).isNotDone();
    clock.advance(Duration.ofMillis(1));
    // completed on the callback executor, a hand-over after the deadline's timer
    await(call::isCompletedExceptionally, "the call failed with its timeout");
  }

  @Test
  void aResponseAfterTheTimeoutIsDroppedAndLaterCallsAreUnaffected() throws Exception {
    SkynetTemplate skynet = connectedTemplate(client(lua));
    lua.answers = request -> new FakeLuaServer.NoAnswer();
    CompletableFuture<Integer> late = skynet.module(LUA, "interop_m").callAsync("echo", Integer.class, 1);
    FakeLuaServer.Received lateRequest = lua.nextRequest();
    clock.advance(Duration.ofSeconds(5));
    await(late::isCompletedExceptionally, "the call failed with its timeout");
    CompletableFuture<Integer> next = skynet.module(LUA, "interop_m").callAsync("echo", Integer.class, 2);
    FakeLuaServer.Received nextRequest = lua.nextRequest();

    lua.answer(lateRequest, LuaValue.of(111));
    lua.answer(nextRequest, LuaValue.of(2));

    assertThat(next.get(5, SECONDS)).isEqualTo(2);
    assertThatThrownBy(() -> late.get(5, SECONDS)).cause().isInstanceOf(CallTimeoutException.class);
  }

  @Test
  void withNoActiveNodeACallWaitsTheConnectWaitThenFailsWithNoNodeConnectedException() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SkynetNodes nodes = SkynetNodes.builder("java", 9).clock(clock)
        .connectWait(Duration.ofSeconds(3)).node(SkynetRemoteNode.of("down", 1, "127.0.0.1:" + closedPort)).build();
    try (nodes) {
      nodes.start();
      CompletableFuture<String> call = nodes.template().module("down", "interop_m").callAsync("echo", String.class);
      Thread.sleep(300); // the refused connect, which the message names, happens on the event loop (real time)

      clock.advance(Duration.ofMillis(2999));
      assertThat(call).isNotDone();
      clock.advance(Duration.ofMillis(1));

      assertThatThrownBy(() -> call.get(5, SECONDS)).cause().isInstanceOfSatisfying(NoNodeConnectedException.class,
          e -> assertThat(e.nodeName()).isEqualTo("down"))
          .hasMessageContaining("connectWait").hasMessageContaining("cannot connect to 127.0.0.1:" + closedPort);
    }
  }

  @Test
  void aCallWaitingForANodeGoesOutWhenTheNodeBecomesActive() throws Exception {
    SkynetNodes nodes = client(lua).clock(clock).build();
    try (nodes) {
      CompletableFuture<Integer> call = nodes.template().module(LUA, "interop_m").callAsync("add", Integer.class,
          1, 2);
      nodes.start();

      assertThat(call.get(5, SECONDS)).isEqualTo(3);
    }
  }

  @Test
  void aNameNotInTheMapFailsAtOnceAndSoDoesAnIdNotInTheMap() {
    SkynetTemplate skynet = connectedTemplate(client(lua));

    assertThatThrownBy(() -> skynet.module("lau", "interop_m").call("echo", String.class))
        .isInstanceOf(UnknownNodeNameException.class).hasMessageContaining("lau");
    assertThatThrownBy(() -> skynet.module(LUA, "interop_m").node(7).call("echo", String.class))
        .isInstanceOfSatisfying(NoNodeConnectedException.class, e -> assertThat(e.nodeId()).isEqualTo(7));
  }

  @Test
  void callsPendingWhenTheConnectionClosesFailWithConnectionLostThatMayHaveRun() throws Exception {
    SkynetTemplate skynet = connectedTemplate(client(lua));
    CompletableFuture<String> pending = skynet.module(LUA, "interop_m").callAsync("hang", String.class);
    lua.nextRequest();

    assertThatThrownBy(() -> skynet.module(LUA, "interop_m").call("close", String.class))
        .isInstanceOfSatisfying(ConnectionLostException.class, e -> assertThat(e.mayHaveRun()).isTrue());
    assertThatThrownBy(() -> pending.get(5, SECONDS)).cause().isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void aConnectionHoldsAtMostMaxPendingCallsAndTheNextFailsAtOnce() throws Exception {
    SkynetTemplate skynet = connectedTemplate(client(lua).maxPendingCalls(2));
    lua.answers = request -> new FakeLuaServer.NoAnswer();
    CompletableFuture<Integer> first = skynet.module(LUA, "interop_m").callAsync("echo", Integer.class, 1);
    skynet.module(LUA, "interop_m").callAsync("echo", Integer.class, 2);
    FakeLuaServer.Received firstRequest = lua.nextRequest();
    lua.nextRequest();

    CompletableFuture<Integer> third = skynet.module(LUA, "interop_m").callAsync("echo", Integer.class, 3);
    assertThatThrownBy(() -> third.get(5, SECONDS))
        .cause().isInstanceOf(FrpcException.class).hasMessageContaining("maxPendingCalls");

    lua.answer(firstRequest, LuaValue.of(1));
    assertThat(first.get(5, SECONDS)).isEqualTo(1);
    CompletableFuture<Integer> fourth = skynet.module(LUA, "interop_m").callAsync("echo", Integer.class, 4);
    lua.answer(lua.nextRequest(), LuaValue.of(4));
    assertThat(fourth.get(5, SECONDS)).isEqualTo(4);
  }

  @Test
  void closingTheClientFailsItsPendingCalls() throws Exception {
    SkynetNodes nodes = connected(client(lua).clock(clock), 1);
    CompletableFuture<String> pending = nodes.template().module(LUA, "interop_m").callAsync("hang", String.class);
    lua.nextRequest();

    nodes.close();

    assertThatThrownBy(() -> pending.get(5, SECONDS)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(ConnectionLostException.class);
    assertThat(nodes.isActive(LUA)).isFalse();
  }

  @Test
  void aResponseOverTheMaxMessageSizeClosesTheConnectionAndFailsItsCalls() throws Exception {
    SkynetNodes nodes = connected(client(lua).clock(clock).maxMessageSize(50_000), 1);

    assertThatThrownBy(() -> nodes.template().module(LUA, "interop_m").call("big", String.class, 60_000))
        .isInstanceOf(ConnectionLostException.class);
    await(() -> nodes.isActive(LUA), "reconnected");
    assertThat(nodes.template().module(LUA, "interop_m").call("big", String.class, 40_000)).hasSize(40_000);
  }

  @Test
  void aModuleNameOver255BytesIsRefusedAndNothingIsSent() {
    SkynetTemplate skynet = connectedTemplate(client(lua));

    assertThatThrownBy(() -> skynet.module(LUA, "m".repeat(256)).call("echo", String.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
    assertThat(lua.requests).isEmpty();
    assertThat(skynet.module(LUA, "interop_m").call("add", Integer.class, 1, 1)).isEqualTo(2);
  }
}
