package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.ResponseStatus;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * A rolling upgrade puts nodes of different versions on one connection: frames from a newer peer, built
 * here by hand, carry fields and codes this version does not know, or lack fields it knows. None of it
 * may break the connection or surface as a raw decoding error.
 */
class NewerPeerTest {

  private final SmileMapper smile = SmileMapper.builder().build();
  private FrpcNode node;

  @AfterEach
  void close() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void errorRepliesWithUnknownCodesOrMissingFieldsBecomeTypedExceptions() throws Exception {
    Map<String, Object> unknownCode = Map.of("code", 42, "message", "retry later: shard moving",
        "retryAfterMillis", 250);
    Map<String, Object> overloadWithoutMessage = Map.of("code", RemoteErrorCode.OVERLOADED.wireCode());
    Map<String, Object> noFieldsAtAll = Map.of("hint", "from v1.1");
    try (FakeNewerNode peer = new FakeNewerNode(List.of(unknownCode, overloadWithoutMessage, noFieldsAtAll))) {
      node = FrpcNode.builder("caller", 1).serve(false).ioThreads(1)
          .discovery(new StaticNodeDiscovery(Map.of(new NodeId("game", 1), new HostPort("127.0.0.1", peer.port()))))
          .build();
      node.start();
      ModuleCall game = node.template().module("game", "any_m");

      assertThatThrownBy(() -> game.call("first", String.class))
          .isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN);
            assertThat(e.remoteMessage()).isEqualTo("retry later: shard moving");
          });
      assertThatThrownBy(() -> game.call("second", String.class)).isInstanceOf(OverloadedException.class);
      assertThatThrownBy(() -> game.call("third", String.class))
          .isInstanceOfSatisfying(RemoteCallException.class,
              e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN));
      assertThat(peer.handshakeAccepted.get(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Blocks its instance for a while. */
  public static final class Slow {
    public void block() throws InterruptedException {
      Thread.sleep(400);
    }

    public String ping() {
      return "pong";
    }
  }

  @Test
  void aHelloWithUnknownAndMissingOptionalFieldsIsAdmittedAndALateCommandAnswersDeadlineExceeded()
      throws Exception {
    node = FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(1).shutdownTimeout(Duration.ofSeconds(1))
        .handler(HandlerDefinition.of("slow_m", null, 1, self -> new Slow())).build();
    node.start();
    try (Socket socket = new Socket("127.0.0.1", node.listenAddress().getPort())) {
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      Map<String, Object> hello = new LinkedHashMap<>();
      hello.put("protocolVersion", 1);
      hello.put("name", "newer");
      hello.put("id", 7);
      hello.put("bootId", "boot-of-v1.1");
      hello.put("maxMessageSize", 1 << 20);
      hello.put("region", "eu-1");
      writeFrame(out, FrameType.HELLO, smile.writeValueAsBytes(hello));
      assertThat(readFrame(in)[0]).as("HELLO_ACK").isEqualTo(FrameType.HELLO_ACK);

      writeFrame(out, FrameType.REQUEST, request(0, false, "slow_m", "block", 0));
      writeFrame(out, FrameType.REQUEST, request(5, true, "slow_m", "ping", 50));
      byte[] reply = readFrame(in);
      assertThat(reply[0]).isEqualTo(FrameType.RESPONSE);
      assertThat(ByteBuffer.wrap(reply, 1, 4).getInt()).isEqualTo(5);
      assertThat(reply[5]).isEqualTo(ResponseStatus.ERROR);
      Map<?, ?> error = smile.readValue(reply, 6, reply.length - 6, Map.class);
      assertThat(error.get("code")).isEqualTo(RemoteErrorCode.DEADLINE_EXCEEDED.wireCode());
      assertThat((String) error.get("message")).contains("deadline of 50 ms passed");
    }
  }

  /** A REQUEST body as protocol version 1 lays it out, balance selection. */
  private byte[] request(int requestId, boolean replyWanted, String module, String command, int timeoutMillis) {
    ByteBuffer body = ByteBuffer.allocate(256);
    body.put((byte) (replyWanted ? 1 : 0)).putInt(requestId).putInt(timeoutMillis);
    for (String text : new String[] {module, "", command}) {
      body.put((byte) text.length()).put(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    body.put(smile.writeValueAsBytes(new Object[0]));
    byte[] bytes = new byte[body.position()];
    body.flip().get(bytes);
    return bytes;
  }

  private static void writeFrame(DataOutputStream out, byte type, byte[] body) throws IOException {
    out.writeInt(body.length + 1);
    out.writeByte(type);
    out.write(body);
    out.flush();
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }

  /** A node of a newer version: answers the handshake with extra fields and every request with the next error. */
  private final class FakeNewerNode implements AutoCloseable {
    final CompletableFuture<Boolean> handshakeAccepted = new CompletableFuture<>();
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Queue<Map<String, Object>> errors;
    private final Thread thread;

    FakeNewerNode(List<Map<String, Object>> errors) throws IOException {
      this.errors = new ArrayDeque<>(errors);
      this.thread = new Thread(this::serve, "fake-newer-node");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      try (Socket socket = server.accept()) {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(readFrame(in)[0]).isEqualTo(FrameType.HELLO);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("protocolVersion", 1);
        ack.put("name", "game");
        ack.put("id", 1);
        ack.put("bootId", "boot-of-v1.1");
        ack.put("maxMessageSize", 1 << 20);
        ack.put("features", List.of("state-sync-v2"));
        ack.put("region", "eu-1");
        writeFrame(out, FrameType.HELLO_ACK, smile.writeValueAsBytes(ack));
        handshakeAccepted.complete(true);
        while (!errors.isEmpty()) {
          byte[] frame = readFrame(in);
          if (frame[0] != FrameType.REQUEST) {
            continue;
          }
          int requestId = ByteBuffer.wrap(frame, 2, 4).getInt();
          byte[] body = smile.writeValueAsBytes(errors.poll());
          ByteBuffer response = ByteBuffer.allocate(5 + body.length).putInt(requestId).put(ResponseStatus.ERROR)
              .put(body);
          writeFrame(out, FrameType.RESPONSE, response.array());
        }
        socket.getInputStream().read();
      } catch (IOException e) {
        handshakeAccepted.completeExceptionally(e);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
