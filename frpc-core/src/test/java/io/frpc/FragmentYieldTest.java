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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * While a large message is held back because the peer reads slowly, a small message written after it
 * overtakes the rest of its fragments; with the window feature, no more than a window of it is sent ahead of what
 * the peer has read. What arrives on the wire is the proof, not a latency figure.
 */
class FragmentYieldTest {

  private static final SmileMapper SMILE = SmileMapper.builder().build();

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

  @Test
  void aPeerThatGrantsNothingIsSentOneWindowOfALargeMessageAndThenWhatItGrants() throws Exception {
    int size = 8 << 20;
    CompletableFuture<Long> beforeAnyGrant = new CompletableFuture<>();
    CompletableFuture<Long> inAll = new CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread peer = new Thread(() -> grantLate(listener, beforeAnyGrant, inAll), "granting-peer");
      peer.setDaemon(true);
      peer.start();
      try (TestNode caller = TestNode.builder("caller", 1).start()) {
        caller.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", listener.getLocalPort());
        await().until(() -> caller.frpc.isActive("game", 1));

        CompletableFuture<Void> large = caller.frpc.module("game", "svc").send("large", (Object) new byte[size]);

        assertThat(beforeAnyGrant.get(30, TimeUnit.SECONDS)).as("fragment bytes sent before the peer granted any")
            .isBetween(1L, (long) FrpcNode.DEFAULT_FRAGMENT_WINDOW + FrpcNode.DEFAULT_FRAGMENT_SIZE);
        assertThat(inAll.get(30, TimeUnit.SECONDS)).as("fragment bytes once it granted what it read")
            .isGreaterThan(size);
        large.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Agrees the window feature and reads fragments without granting any until none has come for a second (or more
   * than a window came), then grants every fragment it reads until the message ends.
   */
  private static void grantLate(ServerSocket listener, CompletableFuture<Long> beforeAnyGrant,
      CompletableFuture<Long> inAll) {
    try (Socket socket = listener.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      readFrame(in);
      acknowledge(out, List.of(FrameType.FEATURE_WINDOW));
      BlockingQueue<byte[]> fragments = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> readFragments(in, fragments), "granting-peer-reader");
      reader.setDaemon(true);
      reader.start();
      long received = 0;
      for (byte[] fragment; received <= FrpcNode.DEFAULT_FRAGMENT_WINDOW + FrpcNode.DEFAULT_FRAGMENT_SIZE
          && (fragment = fragments.poll(1, TimeUnit.SECONDS)) != null; ) {
        received += fragmentBytes(fragment);
      }
      beforeAnyGrant.complete(received);
      grant(out, received);
      for (boolean last = false; !last; ) {
        byte[] fragment = fragments.take();
        received += fragmentBytes(fragment);
        last = (fragment[1] & 2) != 0;
        grant(out, fragmentBytes(fragment));
      }
      inAll.complete(received);
    } catch (IOException | InterruptedException e) {
      beforeAnyGrant.completeExceptionally(e);
      inAll.completeExceptionally(e);
    }
  }

  /** Queues every FRAGMENT frame read until the connection ends. */
  private static void readFragments(DataInputStream in, BlockingQueue<byte[]> fragments) {
    try {
      while (true) {
        byte[] frame = readFrame(in);
        if (frame[0] == FrameType.FRAGMENT) {
          fragments.add(frame);
        }
      }
    } catch (IOException ended) {
      // the test is over
    }
  }

  /** The message bytes a FRAGMENT frame carries: after its type, its flags and (the first) the message size. */
  private static int fragmentBytes(byte[] fragment) {
    return fragment.length - 2 - ((fragment[1] & 1) != 0 ? 4 : 0);
  }

  private static void grant(DataOutputStream out, long bytes) throws IOException {
    out.writeInt(5);
    out.writeByte(FrameType.WINDOW);
    out.writeInt((int) bytes);
    out.flush();
  }

  private static void acknowledge(DataOutputStream out, List<String> features) throws IOException {
    byte[] ack = SMILE.writeValueAsBytes(Map.of("protocolVersion", 1, "name", "game", "id", 1, "bootId", "b",
        "maxMessageSize", 64 << 20, "features", features));
    out.writeInt(ack.length + 1);
    out.writeByte(FrameType.HELLO_ACK);
    out.write(ack);
    out.flush();
  }

  /** Completes the handshake, waits while the caller queues its writes, then reads every frame. */
  private static void readSlowly(ServerSocket listener, List<String> arrivals, CompletableFuture<Void> done) {
    try (Socket socket = listener.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      readFrame(in);
      acknowledge(out, List.of());
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
