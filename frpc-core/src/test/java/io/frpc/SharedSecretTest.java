package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.internal.security.KeyShare;
import io.frpc.testing.CapturedLogs;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mutual authentication with a shared secret: who gets in, who does not, and what never crosses the wire. */
class SharedSecretTest {

  private static final String SECRET = "a-long-shared-secret-of-the-cluster";
  private static final String OTHER = "another-secret-of-another-cluster!";

  /** Handler of module "svc"; counts the commands it runs. */
  public static final class Service {
    static final AtomicInteger RUNS = new AtomicInteger();

    public String echo(String text) {
      RUNS.incrementAndGet();
      return text;
    }
  }

  private final List<AutoCloseable> open = new ArrayList<>();
  private CapturedLogs logs;

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.of("io.frpc");
    Service.RUNS.set(0);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    logs.close();
  }

  private TestNode server(Consumer<FrpcNode.Builder> security) {
    TestNode node = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service()).configure(security)
        .start();
    open.add(node);
    return node;
  }

  private TestNode caller(Consumer<FrpcNode.Builder> security, int port) {
    TestNode node = TestNode.builder("caller", 1).configure(security).start();
    open.add(node);
    node.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", port);
    return node;
  }

  private static String echo(TestNode caller) {
    return caller.frpc.module("game", "svc").call("echo", String.class, "hello");
  }

  @Test
  void nodesSharingTheSecretConnectAndCall() {
    TestNode server = server(node -> node.secret(SECRET));
    TestNode caller = caller(node -> node.secret(SECRET), server.port());

    assertThat(echo(caller)).isEqualTo("hello");
  }

  @Test
  void aWrongSecretIsRefusedOnBothSidesWithAClearReason() {
    TestNode server = server(node -> node.secret(SECRET));
    TestNode caller = caller(node -> node.secret(OTHER), server.port());

    long started = System.nanoTime();
    assertThatThrownBy(() -> echo(caller)).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("could not prove the shared secret")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(OTHER));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not a connect-wait timeout")
        .isLessThan(Duration.ofSeconds(2));
    assertThat(Service.RUNS).hasValue(0);
    assertThat(logs.events()).allSatisfy(event -> assertThat(event.getFormattedMessage())
        .doesNotContain(SECRET).doesNotContain(OTHER));
  }

  @Test
  void aCallerWithoutTheSecretIsRefusedByANodeThatRequiresIt() {
    TestNode server = server(node -> node.secret(SECRET));
    TestNode caller = caller(node -> { }, server.port());

    assertThatThrownBy(() -> echo(caller)).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("authentication required");
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages(Level.WARN).stream()
        .anyMatch(message -> message.contains("Refusing connection") && message.contains("authentication required")));
    assertThat(Service.RUNS).hasValue(0);
  }

  @Test
  void aNodeWithoutTheSecretIsRefusedByACallerThatHasIt() {
    TestNode server = server(node -> { });
    TestNode caller = caller(node -> node.secret(SECRET), server.port());

    assertThatThrownBy(() -> echo(caller)).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("without proving the shared secret");
    assertThat(Service.RUNS).hasValue(0);
  }

  @Test
  void aRecordedHandshakeCannotBeReplayed() throws IOException {
    TestNode server = server(node -> node.secret(SECRET));
    Relay relay = new Relay(server.port());
    open.add(relay);
    TestNode caller = caller(node -> node.secret(SECRET), relay.port());
    assertThat(echo(caller)).isEqualTo("hello");
    List<byte[]> recorded = frames(relay.sentToNode());
    assertThat(recorded.get(0)[4]).isEqualTo(FrameType.HELLO);
    assertThat(recorded.get(1)[4]).isEqualTo(FrameType.AUTH);

    try (RawPeer replay = RawPeer.connect(server.port())) {
      replay.send(recorded.get(0));
      assertThat(replay.readFrame()[0]).as("a fresh challenge").isEqualTo(FrameType.CHALLENGE);
      replay.send(recorded.get(1));
      byte[] answer = replay.readFrame();
      assertThat(answer[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).contains("authentication failed");
    }
    assertThat(Service.RUNS).hasValue(1);
  }

  @Test
  void requestsOfUnauthenticatedPeersAreNeverDispatched() throws IOException {
    TestNode server = server(node -> node.secret(SECRET));
    PayloadCodec codec = new PayloadCodec();
    byte[] request = RawPeer.bytes(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(1, true,
        InstanceSelection.BALANCE, 0, "svc", null, "echo", 1000), codec, new Object[] {"sneaky"}));
    try (RawPeer plain = RawPeer.connect(server.port())) {
      plain.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "intruder", 1, "boot", 1 << 20,
          Set.of())));
      plain.send(request);
      assertThat(plain.readFrame()[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(plain.closedByNode()).isTrue();
    }
    try (RawPeer guessing = RawPeer.connect(server.port())) {
      guessing.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "intruder", 2, "boot",
          1 << 20, Set.of(), new byte[32], KeyShare.generate().publicBytes())));
      assertThat(guessing.readFrame()[0]).isEqualTo(FrameType.CHALLENGE);
      guessing.send(request);
      byte[] answer = guessing.readFrame();
      assertThat(answer[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("svc").doesNotContain("echo");
    }
    assertThat(Service.RUNS).hasValue(0);
  }

  @Test
  void everyStepOfASecretRotationInteroperates() {
    List<Consumer<FrpcNode.Builder>> steps = List.of(
        node -> node.secret(SECRET),
        node -> node.secret(SECRET).acceptedSecrets(List.of(OTHER)),
        node -> node.secret(OTHER).acceptedSecrets(List.of(SECRET)),
        node -> node.secret(OTHER));
    // nodes one step apart meet during a rolling rotation; every such pair must work both ways
    for (int i = 0; i + 1 < steps.size(); i++) {
      for (int[] pair : new int[][] {{i, i + 1}, {i + 1, i}}) {
        TestNode server = server(steps.get(pair[0]));
        TestNode caller = caller(steps.get(pair[1]), server.port());
        assertThat(echo(caller)).as("server at step %d, caller at step %d", pair[0], pair[1]).isEqualTo("hello");
        caller.close();
        server.close();
      }
    }
  }

  @Test
  void aCallerUsesTheSecretOfTheClusterItCalls() {
    TestNode server = server(node -> node.secret(OTHER));
    TestNode caller = caller(node -> node.secret(SECRET).nodeSecret("game", OTHER), server.port());

    assertThat(echo(caller)).isEqualTo("hello");
  }

  @Test
  void theSecretNeverCrossesTheWire() throws IOException {
    TestNode server = server(node -> node.secret(SECRET));
    Relay relay = new Relay(server.port());
    open.add(relay);
    TestNode caller = caller(node -> node.secret(SECRET), relay.port());

    assertThat(echo(caller)).isEqualTo("hello");
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    assertThat(Relay.contains(relay.sentToNode(), secret)).isFalse();
    assertThat(Relay.contains(relay.sentByNode(), secret)).isFalse();
    assertThat(Relay.contains(relay.sentToNode(), "caller".getBytes(StandardCharsets.UTF_8)))
        .as("the handshake names the nodes in the clear: the capture works").isTrue();
  }

  @Test
  void anotherProcessUnderAConnectedIdentityIsRefused() throws IOException {
    TestNode server = server(node -> { });
    try (RawPeer first = RawPeer.handshaken(server.port(), 7, 0);
        RawPeer second = RawPeer.connect(server.port())) {
      second.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", 7, "another-boot",
          1 << 20, Set.of())));
      byte[] answer = second.readFrame();
      assertThat(answer[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).contains("raw:7 is connected already");
    }
  }

  @Test
  void theSameProcessReconnectingAtOnceIsNeverRefused() throws IOException {
    TestNode server = server(node -> { });
    int refused = 0;
    for (int i = 0; i < 200; i++) {
      try (RawPeer peer = RawPeer.connectFrom(1 + i % 4, server.port())) {
        peer.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", 7, "boot-7", 1 << 20,
            Set.of())));
        refused += peer.readFrame()[0] == FrameType.HELLO_REJECT ? 1 : 0;
      }
    }
    assertThat(refused).isZero();
  }

  @Test
  void aReconnectAfterAHalfOpenConnectionIsAdmittedAtOnceAndReplacesIt() throws IOException {
    TestNode server = server(node -> { });
    // the first connection's peer is gone without a FIN: the node still holds it open
    try (RawPeer halfOpen = RawPeer.handshaken(server.port(), 7, 0);
        RawPeer again = RawPeer.handshaken(server.port(), 7, 0)) {
      assertThat(halfOpen.closedByNode()).as("the stale connection is closed by the node").isTrue();
    }
  }

  /** Splits a captured stream into frames, length prefix included. */
  private static List<byte[]> frames(byte[] stream) {
    List<byte[]> frames = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(stream);
    while (in.remaining() >= 4) {
      int length = in.getInt(in.position());
      if (in.remaining() < 4 + length) {
        break;
      }
      byte[] frame = new byte[4 + length];
      in.get(frame);
      frames.add(frame);
    }
    return frames;
  }

  @Test
  void aPeerThatOffersNoFrameProtectionIsRefusedWhenASecretIsSet() throws IOException {
    TestNode server = server(node -> node.secret(SECRET));
    try (RawPeer older = RawPeer.connect(server.port())) {
      older.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "older", 1, "boot", 1 << 20,
          Set.of(), new byte[32], null)));
      byte[] answer = older.readFrame();

      assertThat(answer[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).contains("frame protection");
      assertThat(older.closedByNode()).isTrue();
    }
  }
}
