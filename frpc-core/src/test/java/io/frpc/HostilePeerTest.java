package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.InstanceSelection;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.protocol.RequestEnvelope;
import io.frpc.testing.CapturedLogs;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a peer can do to a node over a real socket, once admitted or before: none of it may take the node
 * down, grow its memory without bound, or flood its log; a well-behaved caller is served throughout.
 */
class HostilePeerTest {

  /** Handler of module "svc". */
  public static final class Service {
    public int add(int a, int b) {
      return a + b;
    }

    public byte[] blob(int size) {
      return new byte[size];
    }
  }

  /** What must never reach a log line raw: control characters (CR, LF, ESC, NUL), bidi and zero-width
   * characters, lone surrogates. */
  static final String UNSAFE_FOR_LOGS = "[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]";

  private final List<RawPeer> peers = new ArrayList<>();
  private CapturedLogs logs;
  private TestNode server;
  private TestNode caller;

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.of("io.frpc");
  }

  @AfterEach
  void stop() throws IOException {
    for (RawPeer peer : peers) {
      peer.close();
    }
    if (caller != null) {
      caller.close();
    }
    if (server != null) {
      server.close();
    }
    logs.close();
  }

  private void start(java.util.function.Consumer<FrpcNode.Builder> limits) {
    server = TestNode.builder("game", 1).module("svc", null, 4, i -> new Service()).configure(limits).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(server);
  }

  private void assertTheCallerIsServed() {
    assertThat(caller.frpc.module("game", "svc").call("add", Integer.class, 2, 3)).isEqualTo(5);
  }

  private RawPeer peer(RawPeer peer) {
    peers.add(peer);
    return peer;
  }

  @Test
  void unfinishedMessagesDeclaringHugeSizesCostOnlyTheBytesThatArrived() throws IOException {
    start(node -> { });
    long heapBefore = heapUsedAfterGc();
    for (int i = 0; i < 8; i++) {
      RawPeer attacker = peer(RawPeer.handshaken(server.port(), i, 0));
      attacker.send(RawPeer.fragment(true, false, 120 << 20, new byte[10]));
      attacker.send(new byte[] {0, 0, 0, 9, FrameType.PING, 0, 0, 0, 0, 0, 0, 0, 1});
    }
    assertTheCallerIsServed();

    long grown = heapUsedAfterGc() - heapBefore;
    assertThat(grown).as("heap grown by 8 peers declaring 120 MB each").isLessThan(64L << 20);
    assertTheCallerIsServed();
  }

  @Test
  void peersThatTogetherWouldExceedTheInboundBudgetAreDisconnected() throws IOException {
    start(node -> node.maxInboundBytes(8 << 20));
    byte[] chunk = new byte[1 << 20];
    List<RawPeer> attackers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RawPeer attacker = peer(RawPeer.handshaken(server.port(), i, 0));
      attackers.add(attacker);
      attacker.send(RawPeer.fragment(true, false, 100 << 20, chunk));
      for (int k = 0; k < 3; k++) {
        try {
          attacker.send(RawPeer.fragment(false, false, 0, chunk));
        } catch (IOException closed) {
          break;
        }
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream()
        .anyMatch(message -> message.contains("limit reached") && message.contains("frpc.max-inbound-bytes")));
    int closed = 0;
    for (RawPeer attacker : attackers) {
      attacker.socket.setSoTimeout(500);
      closed += attacker.closedByNode() ? 1 : 0;
    }
    assertThat(closed).as("peers disconnected at the budget").isBetween(1, 3);
    assertTheCallerIsServed();
  }

  @Test
  void aPeerThatDoesNotReadItsRepliesIsNoLongerReadThenDisconnected() throws IOException {
    // what may wait to be written: 16 MiB besides one message of up to 4 MiB (the bound below adds a pool chunk)
    start(node -> node.unwritableTimeout(Duration.ofSeconds(1)).maxQueuedOutboundBytes(16 << 20)
        .maxMessageSize(4 << 20));
    RawPeer attacker = peer(RawPeer.handshaken(server.port(), 1, 4096));
    long directBefore = directMemoryInPools();
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    for (int i = 1; i <= 2_000; i++) {
      burst.writeBytes(broadcastBlob(i, 4096));
    }
    byte[] requests = burst.toByteArray();
    Thread writer = new Thread(() -> {
      try {
        for (int round = 0; round < 20; round++) {
          attacker.send(requests);
        }
      } catch (IOException closedByNode) {
        // expected once the node gives up on this peer
      }
    });
    writer.setDaemon(true);
    writer.start();

    await().atMost(Duration.ofSeconds(15)).until(() -> logs.messages(Level.WARN).stream()
        .anyMatch(message -> message.contains("limit reached")
            && (message.contains("frpc.unwritable-timeout") || message.contains("frpc.max-queued-outbound-bytes"))));
    long directGrown = directMemoryInPools() - directBefore;
    assertThat(directGrown).as("direct memory held for the peer that does not read").isLessThan(32L << 20);
    assertTheCallerIsServed();
  }

  @Test
  void connectionsBeyondThePerAddressHandshakeLimitCloseTheOldestWithOneLogLine() throws IOException {
    start(node -> node.maxHandshakingPerAddress(8).handshakeTimeout(Duration.ofSeconds(5)));
    List<RawPeer> idle = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      idle.add(peer(RawPeer.connect(server.port())));
    }
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < idle.size(); i++) {
      idle.get(i).socket.setSoTimeout(300);
      if (!idle.get(i).closedByNode()) {
        left.add(i);
      }
    }

    // the node orders connections as its two I/O threads register them, which can swap neighbours
    assertThat(left).as("the connections left open, of 40 opened in turn").hasSize(8).allMatch(i -> i >= 20);
    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("max-handshaking-per-address"))
        .hasSize(1);
    assertTheCallerIsServed();
  }

  @Test
  void connectionsBeyondTheConnectionLimitAreRefused() throws IOException {
    start(node -> node.maxConnections(6));
    List<RawPeer> admitted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      try {
        admitted.add(peer(RawPeer.handshaken(server.port(), i, 0)));
      } catch (IOException closedByNode) {
        refused++;
      }
    }

    assertThat(admitted).as("the caller holds one of the six connections").hasSize(5);
    assertThat(refused).isEqualTo(5);
    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("frpc.server.max-connections"))
        .hasSize(1);
    assertTheCallerIsServed();
  }

  @Test
  void slowlorisConnectionsAreClosedAfterTheHandshakeTimeoutWithoutAFloodOfLogLines() throws IOException {
    start(node -> node.handshakeTimeout(Duration.ofMillis(300)));
    List<RawPeer> slow = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      RawPeer peer = peer(RawPeer.connect(server.port()));
      peer.send(new byte[] {0, 0});
      slow.add(peer);
    }
    for (RawPeer peer : slow) {
      assertThat(peer.closedByNode()).isTrue();
    }

    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("no handshake within"))
        .hasSizeLessThanOrEqualTo(2);
    assertTheCallerIsServed();
  }

  @Test
  void aMalformedHelloIsRejectedWithAReasonAndOneLogLineWithoutStackTrace() throws IOException {
    start(node -> { });
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.send(new byte[] {0, 0, 0, 4, FrameType.HELLO, (byte) 0xFF, 0x13, 0x37});
      byte[] reply = peer.readFrame();
      assertThat(reply[0]).isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(reply, 1, reply.length - 1, java.nio.charset.StandardCharsets.ISO_8859_1))
          .contains("malformed HELLO");
      assertThat(peer.closedByNode()).isTrue();
    }
    assertThat(logs.events()).filteredOn(event -> event.getLevel() == Level.WARN)
        .anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("malformed HELLO"))
        .allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
    assertTheCallerIsServed();
  }

  @ParameterizedTest
  @ValueSource(strings = {"raw\r\nINFO frpc node game:1 admitted everyone", "\u001b[2J\u001b[31mraw",
      "raw\u202Etxt.exe", "r\u200Baw", "raw\u0000", "raw:7"})
  void aHelloWithANameOutsideTheSafeSetIsRefusedAndLoggedWithoutItsControlCharacters(String name)
      throws IOException {
    start(node -> { });
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, name, 1, "boot-1", 1 << 20,
          Set.of())));
      byte[] reply = peer.readFrame();

      assertThat(reply[0]).as("frame type").isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(reply, 1, reply.length - 1, StandardCharsets.ISO_8859_1))
          .contains("node name that is not 1 to 255 ASCII letters");
      assertThat(peer.closedByNode()).isTrue();
    }
    assertThat(logs.messages(Level.WARN)).anySatisfy(message -> assertThat(message).contains("Refusing connection"))
        .allSatisfy(message -> assertThat(message).doesNotContainPattern(UNSAFE_FOR_LOGS));
    assertTheCallerIsServed();
  }

  @Test
  void aHelloWithANegativeIdIsRefused() throws IOException {
    start(node -> { });
    try (RawPeer peer = RawPeer.connect(server.port())) {
      peer.send(RawPeer.control(FrameType.HELLO, new Hello(FrameType.PROTOCOL_VERSION, "raw", -1, "boot-1", 1 << 20,
          Set.of())));
      byte[] reply = peer.readFrame();

      assertThat(reply[0]).as("frame type").isEqualTo(FrameType.HELLO_REJECT);
      assertThat(new String(reply, 1, reply.length - 1, StandardCharsets.ISO_8859_1)).contains("negative node id");
    }
    assertTheCallerIsServed();
  }

  @Test
  void sendsThatCannotBeDeliveredAreLoggedAtMostOnceAMinute() throws IOException {
    start(node -> { });
    try (RawPeer peer = peer(RawPeer.handshaken(server.port(), 1, 0))) {
      byte[] send = RawPeer.bytes(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(0, false,
          InstanceSelection.BALANCE, 0, "no_such_module", null, "x", 0), new PayloadCodec(), new Object[0]));
      for (int i = 0; i < 200; i++) {
        peer.send(send);
      }
      assertTheCallerIsServed();
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages(Level.WARN).stream()
          .anyMatch(message -> message.contains("Dropped send no_such_module.x")));
      assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("Dropped send")).hasSize(1);
    }
  }

  private static byte[] broadcastBlob(int requestId, int size) {
    return RawPeer.bytes(Frames.request(UnpooledByteBufAllocator.DEFAULT, new RequestEnvelope(requestId, true,
        InstanceSelection.BROADCAST, 0, "svc", null, "blob", 10_000), new PayloadCodec(), new Object[] {size}));
  }

  /**
   * Direct memory held in Netty's allocators: the buffers of the pooled one, which large messages are taken from, and
   * the chunks of the channels' own.
   */
  private static long directMemoryInPools() {
    long held = PooledByteBufAllocator.DEFAULT.pinnedDirectMemory();
    if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
        && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider channels) {
      held += channels.metric().usedDirectMemory();
    }
    return held;
  }

  private static long heapUsedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
