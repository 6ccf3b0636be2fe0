package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.internal.protocol.FrameType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * While a large message is held back because the peer reads slowly, a small message written after it
 * overtakes the rest of its fragments: what arrives on the wire is the proof, not a latency figure.
 */
class FragmentYieldTest {

  @Test
  void aSmallRequestWrittenAfterALargeOneReachesASlowPeerBeforeTheLargeOneEnds() throws Exception {
    List<String> arrivals = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket()) {
      listener.setReceiveBufferSize(64 * 1024);
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread slowPeer = new Thread(() -> readSlowly(listener, arrivals, done), "slow-peer");
      slowPeer.setDaemon(true);
      slowPeer.start();
      try (TestNode caller = TestNode.builder("caller", 1).start()) {
        caller.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", listener.getLocalPort());
        await().until(() -> caller.frpc.isActive("game", 1));
        ModuleCall game = caller.frpc.module("game", "svc");

        CompletableFuture<Void> large = game.send("large", (Object) new byte[24 << 20]);
        CompletableFuture<Void> small = game.send("small");
        done.get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(large, small).get(30, TimeUnit.SECONDS);
      }
    }

    int small = arrivals.indexOf("REQUEST small");
    int lastFragment = arrivals.indexOf("FRAGMENT last");
    assertThat(small).as("the small request arrived").isNotNegative();
    assertThat(lastFragment).as("the large request arrived whole").isNotNegative();
    assertThat(small).as("position of the small request among %d frames", arrivals.size()).isLessThan(lastFragment);
  }

  /** Completes the handshake, waits while the caller queues its writes, then reads every frame. */
  private static void readSlowly(ServerSocket listener, List<String> arrivals, CompletableFuture<Void> done) {
    SmileMapper smile = SmileMapper.builder().build();
    try (Socket socket = listener.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      readFrame(in);
      byte[] ack = smile.writeValueAsBytes(Map.of("protocolVersion", 1, "name", "game", "id", 1, "bootId", "b",
          "maxMessageSize", 64 << 20));
      out.writeInt(ack.length + 1);
      out.writeByte(FrameType.HELLO_ACK);
      out.write(ack);
      out.flush();
      Thread.sleep(500);
      while (!arrivals.contains("REQUEST small") || !arrivals.contains("FRAGMENT last")) {
        byte[] frame = readFrame(in);
        if (frame[0] == FrameType.FRAGMENT) {
          arrivals.add((frame[1] & 2) != 0 ? "FRAGMENT last" : "FRAGMENT");
        } else if (frame[0] == FrameType.REQUEST) {
          int commandAt = 1 + 1 + 4 + 4;
          commandAt += 1 + frame[commandAt];
          commandAt += 1 + frame[commandAt];
          arrivals.add("REQUEST " + new String(frame, commandAt + 1, frame[commandAt]));
        }
      }
      done.complete(null);
    } catch (IOException | InterruptedException e) {
      done.completeExceptionally(e);
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }
}
