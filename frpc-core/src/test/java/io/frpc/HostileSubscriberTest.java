package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.PubSubFrames;
import io.frpc.testing.CapturedLogs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber can do to a publishing node over a real socket: flood it with subscriptions, send
 * malformed ones, or stop reading. The publisher never blocks, its memory stays bounded, and a
 * well-behaved subscriber keeps receiving.
 */
class HostileSubscriberTest {

  private final List<RawPeer> peers = new ArrayList<>();
  private CapturedLogs logs;
  private TestNode publisher;
  private TestNode subscriber;
  private final List<Integer> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    logs = CapturedLogs.of("io.frpc");
    publisher = TestNode.builder("game", 1).configure(b -> b.maxSubscriptionsPerConnection(8)
        .unwritableTimeout(Duration.ofSeconds(30))).start();
    subscriber = TestNode.builder("hall", 1).start().connectedTo(publisher);
    subscriber.frpc.channels("game").subscribe("tick", Integer.class, m -> received.add(m.payload()));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.node.publisher().hasSubscribers("tick"));
  }

  @AfterEach
  void stop() throws IOException {
    for (RawPeer peer : peers) {
      peer.close();
    }
    subscriber.close();
    publisher.close();
    logs.close();
  }

  private RawPeer peer(int receiveBuffer, Set<String> features) throws IOException {
    RawPeer peer = RawPeer.handshaken(publisher.port(), peers.size() + 1, receiveBuffer, features);
    peers.add(peer);
    return peer;
  }

  private static byte[] subscribe(int id, String channel) {
    return RawPeer.bytes(PubSubFrames.subscribe(UnpooledByteBufAllocator.DEFAULT, id, false, channel));
  }

  private void assertTheSubscriberIsServed(int value) {
    publisher.node.publisher().publish("tick", value);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(value));
  }

  @Test
  void subscriptionsBeyondTheCapAreRefusedAndTheConnectionStays() throws IOException {
    RawPeer peer = peer(0, Set.of(FrameType.FEATURE_PUBSUB));
    for (int id = 1; id <= 8; id++) {
      peer.send(subscribe(id, "c:" + id));
    }
    peer.send(subscribe(9, "c:9"));
    byte[] reject = peer.readFrame();
    assertThat(reject[0]).isEqualTo(FrameType.SUBSCRIBE_REJECT);
    assertThat(ByteBuffer.wrap(reject, 1, 4).getInt()).isEqualTo(9);
    assertThat(new String(reject, 6, reject.length - 6, StandardCharsets.UTF_8)).contains("more than 8");
    // a repeated id replaces its subscription rather than counting again
    peer.send(subscribe(8, "c:8"));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.node.publisher().hasSubscribers("c:8"));
    assertThat(publisher.node.publisher().hasSubscribers("c:9")).isFalse();
    assertThat(publisher.node.publisher().publish("c:8", 1)).isEqualTo(1);
    byte[] message = peer.readFrame();
    assertThat(message[0]).isEqualTo(FrameType.MESSAGE);
    assertTheSubscriberIsServed(1);
  }

  @Test
  void aMalformedChannelOrASubscriptionWithoutTheFeatureClosesTheConnection() throws IOException {
    RawPeer malformed = peer(0, Set.of(FrameType.FEATURE_PUBSUB));
    malformed.send(subscribe(1, "a::b"));
    assertThat(malformed.closedByNode()).isTrue();

    RawPeer featureless = peer(0, Set.of());
    featureless.send(subscribe(1, "tick"));
    assertThat(featureless.closedByNode()).isTrue();

    RawPeer wrongDirection = peer(0, Set.of(FrameType.FEATURE_PUBSUB));
    wrongDirection.send(RawPeer.bytes(PubSubFrames.message(UnpooledByteBufAllocator.DEFAULT, new int[] {1},
        new int[] {0}, 1, "tick", new byte[] {1})));
    assertThat(wrongDirection.closedByNode()).isTrue();

    assertThat(publisher.node.publisher().subscriberCount("tick")).isEqualTo(1);
    assertTheSubscriberIsServed(2);
  }

  @Test
  void aSubscriberThatPausesReadingLosesNothingWithinTheQueuedBytesLimit() throws IOException {
    RawPeer paused = peer(4096, Set.of(FrameType.FEATURE_PUBSUB));
    paused.send(subscribe(1, "burst"));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.node.publisher().hasSubscribers("burst"));

    // 8 MiB while the peer reads nothing: eight times the connection's write high-water mark (1 MiB), half
    // of frpc.pubsub.max-queued-bytes (16 MiB)
    byte[] payload = new byte[16 * 1024];
    for (int i = 0; i < 512; i++) {
      publisher.node.publisher().publish("burst", payload);
    }
    assertThat(publisher.node.publisher().droppedMessages()).isZero();
    for (int i = 0; i < 512; i++) {
      byte[] frame = paused.readFrame();
      assertThat(frame[0]).isEqualTo(FrameType.MESSAGE);
      assertThat(ByteBuffer.wrap(frame, 7, 4).getInt()).as("dropped before message %d", i).isZero();
    }
  }

  @Test
  void aSubscriberThatStopsReadingCostsMessagesNotMemoryAndNeverBlocksThePublisher() throws IOException {
    RawPeer stalled = peer(4096, Set.of(FrameType.FEATURE_PUBSUB));
    stalled.send(subscribe(1, "blob"));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.node.publisher().hasSubscribers("blob"));
    byte[] payload = new byte[16 * 1024];
    long started = System.nanoTime();
    // 256 MiB offered to a peer that reads nothing: past frpc.pubsub.max-queued-bytes (16 MiB) it is dropped;
    // queued, it would pass frpc.max-queued-outbound-bytes
    // (64 MiB) and be disconnected; a blocking publisher would hang until the unwritable timeout (30 s)
    for (int i = 0; i < 16_384; i++) {
      publisher.node.publisher().publish("blob", payload);
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(elapsedMillis).as("publishing took %d ms", elapsedMillis).isLessThan(20_000);
    assertThat(publisher.node.publisher().droppedMessages()).as("messages not sent to the stalled peer")
        .isGreaterThan(14_000);
    assertThat(publisher.node.publisher().subscriberCount("blob")).as("the stalled peer is still connected")
        .isEqualTo(1);
    assertThat(publisher.node.publisher().publish("blob", payload)).as("connections a publication reached")
        .isZero();
    assertTheSubscriberIsServed(-1);
    assertThat(logs.messages(Level.WARN)).anyMatch(line -> line.contains("not keeping up"));
  }
}
