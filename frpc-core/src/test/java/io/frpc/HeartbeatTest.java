package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.internal.transport.TransportSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle connections are checked with heartbeats, so a dead peer is noticed without traffic: over real TCP here; the
 * timing (a PING every interval, busy or not; a silent peer failed at the timeout and not before; the round trip)
 * is HeartbeatHandlerTest's, on the embedded event loop's time.
 */
class HeartbeatTest {

  private static final TransportSettings FAST_HEARTBEATS = new TransportSettings(1 << 20, 64 * 1024,
      Duration.ofMillis(100), Duration.ofMillis(600), Duration.ofSeconds(5));

  private TestNode server;
  private TestNode caller;

  @AfterEach
  void stop() {
    if (caller != null) {
      caller.close();
    }
    server.close();
  }

  @Test
  void anIdleConnectionStaysUpAndMeasuresItsRoundTripTime() {
    server = TestNode.builder("game", 1).transport(FAST_HEARTBEATS).start();
    caller = TestNode.builder("caller", 1).transport(FAST_HEARTBEATS).start().connectedTo(server);
    OutgoingConnection connection = caller.client.activeConnections().get(0);

    await().atMost(Duration.ofSeconds(5)).until(() -> connection.rttNanos() > 0);
    // one heartbeat timeout and one interval: each side's idle check must have been satisfied by the other's PINGs
    await().during(FAST_HEARTBEATS.heartbeatTimeout().plus(FAST_HEARTBEATS.heartbeatInterval()))
        .atMost(Duration.ofSeconds(5)).until(() -> connection.isOpen() && caller.frpc.isActive("game", 1));
  }

  @Test
  void theRoundTripTimeIsUnknownBeforeTheFirstHeartbeatAndMeasuredOnABusyConnectionToo() {
    server = TestNode.builder("game", 1).transport(FAST_HEARTBEATS).module("svc", null, 1, i -> new Echo()).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(server);
    assertThat(caller.client.status().get(0).roundTripMicros()).as("before the first heartbeat").isEqualTo(-1);
    caller.close();

    caller = TestNode.builder("caller", 1).transport(FAST_HEARTBEATS).start().connectedTo(server);
    OutgoingConnection connection = caller.client.activeConnections().get(0);
    // calls back to back: the connection never goes quiet for a heartbeat interval
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (connection.rttNanos() < 0 && System.nanoTime() < end) {
      caller.frpc.module("game", "svc").call("echo", String.class, "busy");
    }

    assertThat(connection.rttNanos()).as("measured while busy").isPositive();
    assertThat(caller.client.status().get(0).roundTripMicros()).isGreaterThanOrEqualTo(0);
  }

  /** Handler of module "svc". */
  public static final class Echo {
    public String echo(String text) {
      return text;
    }
  }

  @Test
  void aPeerThatSendsNothingIsClosedAfterTheHeartbeatTimeout() throws IOException {
    server = TestNode.builder("game", 1).transport(FAST_HEARTBEATS).start();
    PayloadCodec codec = new PayloadCodec();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      ByteBuf hello = Frames.control(UnpooledByteBufAllocator.DEFAULT, FrameType.HELLO, codec,
          new Hello(FrameType.PROTOCOL_VERSION, "silent", 1, "boot", 1 << 20, Set.of()));
      socket.getOutputStream().write(ByteBufUtil.getBytes(hello));
      hello.release();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      long start = System.nanoTime();
      int pings = 0;
      try {
        while (true) {
          byte[] frame = new byte[in.readInt()];
          in.readFully(frame);
          if (frame[0] == FrameType.PING) {
            pings++;
          }
        }
      } catch (EOFException | SocketException closed) {
        // the server gave up on the silent peer
      }
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(pings).as("the server pinged the quiet peer before giving up").isPositive();
      assertThat(elapsedMillis).isBetween(500L, 9_000L);
    }
  }
}
