package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateListener;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/** Pub/sub and state sync over real connections between nodes in one JVM (issue 10). */
class PubSubTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private TestNode node(String name, int id) {
    return node(TestNode.builder(name, id));
  }

  private TestNode node(TestNode.Builder builder) {
    TestNode node = builder.start();
    resources.add(node);
    return node;
  }

  /** A listener that records "node channel payload" lines and the gaps it was told of. */
  private static final class Recorder<T> implements MessageListener<T> {
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> signals = new CopyOnWriteArrayList<>();
    final AtomicLong gaps = new AtomicLong();

    @Override
    public void onMessage(ChannelMessage<T> message) {
      gaps.addAndGet(message.dropped());
      received.add(message.node().id() + " " + message.channel() + " " + message.payload());
    }

    @Override
    public void nodeJoined(RemoteNode node) {
      signals.add("joined " + node.id());
    }

    @Override
    public void nodeLost(RemoteNode node, NodeDownReason reason) {
      signals.add("lost " + node.id() + " " + reason);
    }
  }

  public record GameOver(int table, String winner) {
  }

  @Test
  void aMessageReachesEverySubscriberOnEveryNodeOfTheNameOnce() {
    TestNode game1 = node("game", 1);
    TestNode game2 = node("game", 2);
    List<Recorder<GameOver>> recorders = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      TestNode hall = node("hall", id).connectedTo(game1).connectedTo(game2);
      Recorder<GameOver> recorder = new Recorder<>();
      hall.frpc.channels("game").subscribe("game:over", GameOver.class, recorder);
      recorders.add(recorder);
    }
    // a second listener on the same node shares the remote subscription but gets every message too
    Recorder<GameOver> second = new Recorder<>();
    TestNode hall4 = node("hall", 4).connectedTo(game1).connectedTo(game2);
    hall4.frpc.channels("game").subscribe("game:over", GameOver.class, second);
    hall4.frpc.channels("game").subscribe("game:over", GameOver.class, recorders.get(0)::onMessage);

    await().atMost(WAIT).until(() -> game1.node.publisher().subscriberCount("game:over") == 4
        && game2.node.publisher().subscriberCount("game:over") == 4);
    assertThat(game1.node.publisher().publish("game:over", new GameOver(7, "red"))).isEqualTo(4);
    assertThat(game2.node.publisher().publish("game:over", new GameOver(8, "black"))).isEqualTo(4);

    for (Recorder<GameOver> recorder : List.of(recorders.get(1), recorders.get(2), second)) {
      await().atMost(WAIT).until(() -> recorder.received.size() == 2);
      assertThat(recorder.received).containsExactlyInAnyOrder("game:1 game:over GameOver[table=7, winner=red]",
          "game:2 game:over GameOver[table=8, winner=black]");
    }
    await().atMost(WAIT).until(() -> recorders.get(0).received.size() == 4);
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> second.received.size() == 2);
  }

  @Test
  void aPatternStarMatchesExactlyOneSegment() {
    TestNode game = node("game", 1);
    TestNode hall = node("hall", 1).connectedTo(game);
    Recorder<String> pattern = new Recorder<>();
    Recorder<String> exact = new Recorder<>();
    hall.frpc.channels("game").subscribe("game:*:over", String.class, pattern);
    hall.frpc.channels("game").subscribe("game:1:over", String.class, exact);
    FrpcPublisher publisher = game.node.publisher();
    await().atMost(WAIT).until(() -> publisher.hasSubscribers("game:1:over"));

    assertThat(publisher.hasSubscribers("game:2:over")).isTrue();
    assertThat(publisher.hasSubscribers("game:1:2:over")).isFalse();
    assertThat(publisher.hasSubscribers("game:over")).isFalse();
    assertThat(publisher.publish("game:1:2:over", "too deep")).isZero();
    assertThat(publisher.publish("game:over", "too shallow")).isZero();
    assertThat(publisher.publish("game:1:over", "one")).isEqualTo(1);
    assertThat(publisher.publish("game:2:over", "two")).isEqualTo(1);
    assertThat(publisher.publish("game:2:end", "other")).isZero();

    await().atMost(WAIT).until(() -> pattern.received.size() == 2 && exact.received.size() == 1);
    assertThat(pattern.received).containsExactly("game:1 game:1:over one", "game:1 game:2:over two");
    assertThat(exact.received).containsExactly("game:1 game:1:over one");
  }

  @Test
  void closingASubscriptionStopsDeliveryOnEveryNode() {
    TestNode game1 = node("game", 1);
    TestNode game2 = node("game", 2);
    TestNode hall = node("hall", 1).connectedTo(game1).connectedTo(game2);
    Recorder<String> recorder = new Recorder<>();
    Subscription subscription = hall.frpc.channels("game").subscribe("news", String.class, recorder);
    await().atMost(WAIT).until(() -> subscription.nodes().size() == 2);
    game1.node.publisher().publish("news", "before");
    await().atMost(WAIT).until(() -> recorder.received.size() == 1);

    subscription.close();

    assertThat(subscription.isClosed()).isTrue();
    await().atMost(WAIT).until(() -> !game1.node.publisher().hasSubscribers("news")
        && !game2.node.publisher().hasSubscribers("news"));
    assertThat(game1.node.publisher().publish("news", "after")).isZero();
    assertThat(game2.node.publisher().publish("news", "after")).isZero();
    assertThat(recorder.received).containsExactly("game:1 news before");
  }

  @Test
  void aSubscriptionToOneNodeIdReceivesFromThatNodeOnly() {
    TestNode game1 = node("game", 1);
    TestNode game2 = node("game", 2);
    TestNode hall = node("hall", 1).connectedTo(game1).connectedTo(game2);
    Recorder<Integer> recorder = new Recorder<>();
    Subscription subscription = hall.frpc.channels("game").node(2).subscribe("score", Integer.class, recorder);
    await().atMost(WAIT).until(() -> game2.node.publisher().hasSubscribers("score"));

    assertThat(subscription.nodes()).containsExactly(new NodeId("game", 2));
    assertThat(game1.node.publisher().hasSubscribers("score")).isFalse();
    game1.node.publisher().publish("score", 1);
    game2.node.publisher().publish("score", 2);
    await().atMost(WAIT).until(() -> recorder.received.size() == 1);
    assertThat(recorder.received).containsExactly("game:2 score 2");
  }

  @Test
  void aSubscriptionByNameReachesANodeThatComesUpLater() {
    TestNode hall = node("hall", 1);
    Recorder<String> recorder = new Recorder<>();
    hall.frpc.channels("game").subscribe("news", String.class, recorder);

    TestNode game = node("game", 1);
    hall.connectedTo(game);
    await().atMost(WAIT).until(() -> game.node.publisher().hasSubscribers("news"));
    game.node.publisher().publish("news", "hello late node");
    await().atMost(WAIT).until(() -> recorder.received.size() == 1);
    assertThat(recorder.signals).containsExactly("joined game:1");
  }

  @Test
  void aMessageSubscribedBeforeACallIsDeliveredWhenTheCallPublishesIt() {
    AtomicReference<FrpcNode> self = new AtomicReference<>();
    TestNode game = node(TestNode.builder("game", 1).module("table_m", null, 1, i -> new Object() {
      @SuppressWarnings("unused")
      public void finish(int table) {
        self.get().publisher().publish("game:" + table + ":over", table);
      }
    }));
    self.set(game.node);
    TestNode hall = node("hall", 1).connectedTo(game);
    Recorder<Integer> recorder = new Recorder<>();

    // no wait between subscribing and the call: the SUBSCRIBE is on the wire before the REQUEST
    hall.frpc.channels("game").subscribe("game:*:over", Integer.class, recorder);
    hall.frpc.module("game", "table_m").call("finish", Void.class, 12);

    await().atMost(WAIT).until(() -> recorder.received.size() == 1);
    assertThat(recorder.received).containsExactly("game:1 game:12:over 12");
  }

  @Test
  void aStateWatchGetsTheCurrentValueAtOnceAndConvergesAfterABurst() {
    TestNode hall = node("hall", 1);
    FrpcPublisher publisher = hall.node.publisher();
    assertThat(publisher.publishState("hall:status", "maintenance")).isEqualTo(1);
    assertThat(publisher.publishState("hall:status", "open")).isEqualTo(2);
    TestNode login = node("login", 1).connectedTo(hall);

    Map<String, StateUpdate<String>> latest = new ConcurrentHashMap<>();
    AtomicInteger deliveries = new AtomicInteger();
    List<Long> versions = new CopyOnWriteArrayList<>();
    login.frpc.channels("hall").watchState("hall:status", String.class, update -> {
      deliveries.incrementAndGet();
      versions.add(update.version());
      latest.put(update.channel(), update);
    });
    await().atMost(WAIT).until(() -> latest.containsKey("hall:status"));
    assertThat(latest.get("hall:status").value()).isEqualTo("open");
    assertThat(latest.get("hall:status").version()).isEqualTo(2);

    for (int i = 1; i <= 10_000; i++) {
      publisher.publishState("hall:status", "v" + i);
    }
    await().atMost(WAIT).until(() -> latest.get("hall:status").version() == 10_002);
    assertThat(latest.get("hall:status").value()).isEqualTo("v10000");
    assertThat(versions).as("versions only grow").isSorted();
    assertThat(versions).doesNotHaveDuplicates();
    assertThat(deliveries.get()).isLessThanOrEqualTo(10_001);
  }

  @Test
  void aPatternStateWatchDeliversEveryMatchingChannelIncludingLaterOnes() {
    TestNode game = node("game", 1);
    FrpcPublisher publisher = game.node.publisher();
    publisher.publishState("name1:age:address", Map.of("age", 30));
    publisher.publishState("name2:age:address", Map.of("age", 40));
    publisher.publishState("name2:age", Map.of("age", 0));
    TestNode hall = node("hall", 1).connectedTo(game);
    Map<String, Object> values = new ConcurrentHashMap<>();
    hall.frpc.channels("game").watchState("*:age:address", new TypeReference<Map<String, Integer>>() { },
        update -> values.put(update.channel(), update.value().get("age")));

    await().atMost(WAIT).until(() -> values.size() == 2);
    publisher.publishState("name3:age:address", Map.of("age", 50));
    publisher.publishState("name1:age:address", Map.of("age", 31));
    await().atMost(WAIT).until(() -> values.size() == 3 && values.get("name1:age:address").equals(31));
    assertThat(values).containsOnly(Map.entry("name1:age:address", 31), Map.entry("name2:age:address", 40),
        Map.entry("name3:age:address", 50));
  }

  @Test
  void aSecondWatchOfTheSameChannelGetsTheCurrentValueToo() {
    TestNode hall = node("hall", 1);
    hall.node.publisher().publishState("hall:status", "open");
    TestNode login = node("login", 1).connectedTo(hall);
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    login.frpc.channels("hall").watchState("hall:status", String.class, u -> first.add(u.value()));
    await().atMost(WAIT).until(() -> first.size() == 1);

    login.frpc.channels("hall").watchState("hall:status", String.class, u -> second.add(u.value()));

    await().atMost(WAIT).until(() -> second.size() == 1);
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> first.size() == 1);
    assertThat(first).containsExactly("open");
    assertThat(second).containsExactly("open");
  }

  @Test
  void afterAPublisherRestartEverySubscriptionIsLiveAgainAndStateConverges() {
    TestNode game = node(TestNode.builder("game", 1));
    int port = game.port();
    game.node.publisher().publishState("room:1", "old process");
    TestNode hall = node("hall", 1).connectedTo(game);
    Recorder<String> messages = new Recorder<>();
    Map<String, String> state = new ConcurrentHashMap<>();
    List<String> stateSignals = new CopyOnWriteArrayList<>();
    Set<NodeId> publishers = ConcurrentHashMap.newKeySet();
    Set<RemoteNode> processes = ConcurrentHashMap.newKeySet();
    hall.frpc.channels("game").subscribe("news", String.class, messages);
    hall.frpc.channels("game").node(1).watchState("room:*", String.class, new StateListener<>() {
      @Override
      public void onState(StateUpdate<String> update) {
        state.put(update.channel(), update.value());
        publishers.add(update.nodeId());
        processes.add(update.node());
      }

      @Override
      public void nodeLost(RemoteNode node, NodeDownReason reason) {
        stateSignals.add("lost");
      }

      @Override
      public void nodeJoined(RemoteNode node) {
        stateSignals.add("joined");
      }
    });
    await().atMost(WAIT).until(() -> "old process".equals(state.get("room:1")));
    assertThat(game.node.publisher().stateWatcherCount("room:1")).isEqualTo(1);
    assertThat(game.node.publisher().subscriberCount("room:1")).as("message subscribers only").isZero();

    game.close();
    await().atMost(WAIT).until(() -> messages.signals.contains("lost game:1 SHUTDOWN"));
    TestNode restarted = node(TestNode.builder("game", 1).port(port));
    // the new process starts at version 1 again: the watch must still take its values
    restarted.node.publisher().publishState("room:1", "new process");
    restarted.node.publisher().publishState("room:2", "new room");

    await().atMost(WAIT).until(() -> restarted.node.publisher().hasSubscribers("news"));
    restarted.node.publisher().publish("news", "after restart");
    await().atMost(WAIT).until(() -> messages.received.contains("game:1 news after restart"));
    await().atMost(WAIT).until(() -> "new process".equals(state.get("room:1")) && "new room".equals(state.get("room:2")));
    assertThat(messages.signals).containsExactly("joined game:1", "lost game:1 SHUTDOWN", "joined game:1");
    assertThat(stateSignals).containsExactly("joined", "lost", "joined");
    assertThat(publishers).as("keyed by node id: one entry across the restart").containsExactly(new NodeId("game", 1));
    assertThat(processes).as("keyed by remote node: one entry per process").hasSize(2);
  }

  @Test
  void afterTheSubscribersConnectionIsCutItResubscribesAndStateConverges() throws Exception {
    TestNode game = node("game", 1);
    Relay relay = new Relay(game.port());
    resources.add(relay);
    TestNode hall = node("hall", 1);
    hall.client.nodeAvailable(game.id(), "127.0.0.1", relay.port());
    Recorder<String> messages = new Recorder<>();
    Map<String, Long> versions = new ConcurrentHashMap<>();
    hall.frpc.channels("game").subscribe("news", String.class, messages);
    hall.frpc.channels("game").watchState("table:*", String.class, u -> versions.put(u.channel(), u.version()));
    FrpcPublisher publisher = game.node.publisher();
    await().atMost(WAIT).until(() -> publisher.hasSubscribers("news"));
    publisher.publishState("table:1", "a");

    relay.down();
    await().atMost(WAIT).until(() -> messages.signals.contains("lost game:1 CONNECTION_LOST")
        && !publisher.hasSubscribers("news"));
    // published while the subscriber is away: state converges on return, messages are gone
    publisher.publishState("table:1", "b");
    publisher.publishState("table:2", "c");
    assertThat(publisher.publish("news", "while away")).isZero();
    relay.up();

    await().atMost(WAIT).until(() -> messages.signals.size() == 3 && publisher.hasSubscribers("news"));
    publisher.publish("news", "back");
    await().atMost(WAIT).until(() -> messages.received.contains("game:1 news back"));
    await().atMost(WAIT).until(() -> Long.valueOf(2).equals(versions.get("table:1"))
        && Long.valueOf(1).equals(versions.get("table:2")));
    assertThat(messages.received).doesNotContain("game:1 news while away");
  }

  @Test
  void aSlowSubscriberNeitherBlocksThePublisherNorSlowsAFastOne() throws Exception {
    TestNode game = node("game", 1);
    TestNode slowNode = node(TestNode.builder("hall", 1).configure(b -> b.subscriberBacklog(100)));
    TestNode fastNode = node("hall", 2);
    slowNode.connectedTo(game);
    fastNode.connectedTo(game);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong slowReceived = new AtomicLong();
    AtomicLong slowGaps = new AtomicLong();
    Subscription slow = slowNode.frpc.channels("game").subscribe("tick", Integer.class, message -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      slowReceived.incrementAndGet();
      slowGaps.addAndGet(message.dropped());
    });
    // the slow node also has a fast listener: a slow subscription does not hold up others on its node
    AtomicInteger fastOnSlowNode = new AtomicInteger();
    slowNode.frpc.channels("game").subscribe("tick", Integer.class, m -> fastOnSlowNode.incrementAndGet());
    List<Integer> fast = new CopyOnWriteArrayList<>();
    AtomicLong fastGaps = new AtomicLong();
    fastNode.frpc.channels("game").subscribe("tick", Integer.class, m -> {
      fastGaps.addAndGet(m.dropped());
      fast.add(m.payload());
    });
    await().atMost(WAIT).until(() -> game.node.publisher().subscriberCount("tick") == 2);

    int count = 20_000;
    for (int i = 0; i < count; i++) {
      game.node.publisher().publish("tick", i);
    }
    // while the slow listener is blocked, the fast one gets every message (or is told of each one lost)
    await().atMost(WAIT).untilAsserted(() -> assertThat(fast.size() + fastGaps.get()).isEqualTo(count));
    assertThat(fast).isSorted();
    assertThat(fast.get(fast.size() - 1)).isEqualTo(count - 1);
    await().atMost(WAIT).until(() -> fastOnSlowNode.get() > 0);

    release.countDown();
    await().atMost(WAIT).until(() -> slowReceived.get() == 101);
    // the gap is told with the next message: every message is either received or counted in a gap
    game.node.publisher().publish("tick", count);
    await().atMost(WAIT).untilAsserted(() -> assertThat(List.of(slowReceived.get(), slowGaps.get(), slow.dropped()))
        .as("received, told gaps, dropped").satisfies(l -> assertThat(l.get(0) + l.get(1)).isEqualTo(count + 1)));
    assertThat(slowReceived.get()).isEqualTo(102);
    assertThat(slow.dropped()).isEqualTo(slowGaps.get());
  }

  @Test
  void aSlowListenersBacklogIsBoundedInBytesAsWellAsInMessages() throws Exception {
    TestNode game = node("game", 1);
    // 10,000 messages may wait, but at most 1 MiB of them
    TestNode hall = node(TestNode.builder("hall", 1).configure(b -> b.maxQueuedPublicationBytes(1 << 20)))
        .connectedTo(game);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong received = new AtomicLong();
    AtomicLong gaps = new AtomicLong();
    Subscription slow = hall.frpc.channels("game").subscribe("blob", byte[].class, message -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      received.incrementAndGet();
      gaps.addAndGet(message.dropped());
    });
    await().atMost(WAIT).until(() -> game.node.publisher().hasSubscribers("blob"));

    byte[] payload = new byte[64 * 1024];
    for (int i = 0; i < 100; i++) {
      game.node.publisher().publish("blob", payload);
    }
    // 6.4 MB offered: about 1 MiB is kept, the rest dropped while the listener is blocked; wait until every
    // message has arrived (kept or dropped), so none still in transit reaches the released listener
    await().atMost(WAIT).until(() -> slow.dropped() >= 100 - (1 + 16));
    release.countDown();
    await().atMost(WAIT).until(() -> received.get() >= 2);
    game.node.publisher().publish("blob", payload);
    await().atMost(WAIT).untilAsserted(() -> assertThat(received.get() + gaps.get()).isEqualTo(101));
    assertThat(received.get()).isLessThanOrEqualTo(1 + 16 + 1);
    assertThat(game.node.publisher().droppedMessages()).isZero();
  }

  @Test
  void badChannelsAndUnknownNodeNamesFailAtOnce() {
    TestNode caller = node(TestNode.builder("hall", 1).configure(b -> b.discovery(new StaticNodeDiscovery(
        Map.of(new NodeId("game", 1), new io.frpc.discovery.StaticNodeDiscovery.HostPort("127.0.0.1", 1))))));
    MessageListener<String> ignore = m -> { };
    assertThatThrownBy(() -> caller.frpc.channels("gaem").subscribe("news", String.class, ignore))
        .isInstanceOf(UnknownNodeNameException.class).hasMessageContaining("did you mean 'game'");
    for (String bad : List.of("", "a::b", ":a", "a:", "a b", "game:x*:over", "game:**:over")) {
      assertThatThrownBy(() -> caller.frpc.channels("game").subscribe(bad, String.class, ignore))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
    }
    assertThatThrownBy(() -> caller.node.publisher().publish("game:*:over", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'*' stands for a segment");
    assertThatThrownBy(() -> caller.node.publisher().publishState("a".repeat(256), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
  }

  @Test
  void aSubscriberStaysWithinTheSubscriptionCapPerNode() {
    TestNode game = node("game", 1);
    TestNode hall = node(TestNode.builder("hall", 1).configure(b -> b.maxSubscriptionsPerConnection(3)))
        .connectedTo(game);
    MessageListener<String> ignore = m -> { };
    for (int i = 0; i < 3; i++) {
      hall.frpc.channels("game").subscribe("c" + i, String.class, ignore);
    }
    // the same channel again shares a subscription: no new one
    hall.frpc.channels("game").subscribe("c0", String.class, ignore);
    assertThatThrownBy(() -> hall.frpc.channels("game").subscribe("c3", String.class, ignore))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("frpc.pubsub.max-subscriptions-per-connection");
  }

  @Test
  void aListenerThatThrowsOrAPayloadThatDoesNotBindLosesOnlyThatMessage() {
    TestNode game = node("game", 1);
    TestNode hall = node("hall", 1).connectedTo(game);
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription = hall.frpc.channels("game").subscribe("n", Integer.class, m -> {
      if (m.payload() == 2) {
        throw new IllegalStateException("listener bug");
      }
      received.add(m.payload());
    });
    await().atMost(WAIT).until(() -> game.node.publisher().hasSubscribers("n"));
    game.node.publisher().publish("n", 1);
    game.node.publisher().publish("n", "not a number");
    game.node.publisher().publish("n", 2);
    game.node.publisher().publish("n", 3);
    await().atMost(WAIT).until(() -> received.size() == 2);
    assertThat(received).containsExactly(1, 3);
    assertThat(subscription.dropped()).isEqualTo(1);
  }

  @Test
  void aPublicationOfMoreTokensThanTheSubscribersLimitIsDroppedAndTheNextDelivered() {
    TestNode game = node("game", 1);
    TestNode hall = node(TestNode.builder("hall", 1).configure(b -> b.maxMessageTokens(100))).connectedTo(game);
    List<List<?>> received = new CopyOnWriteArrayList<>();
    Subscription subscription = hall.frpc.channels("game").subscribe("lists", List.class, m -> received.add(m.payload()));
    await().atMost(WAIT).until(() -> game.node.publisher().hasSubscribers("lists"));
    game.node.publisher().publish("lists", java.util.Collections.nCopies(1_000, 7));
    game.node.publisher().publish("lists", List.of(1, 2, 3));
    await().atMost(WAIT).until(() -> received.size() == 1);
    assertThat(received).containsExactly(List.of(1, 2, 3));
    assertThat(subscription.dropped()).isEqualTo(1);
  }

  @Test
  void publishingWithoutSubscribersCostsNoEncodingAndReturnsZero() {
    TestNode game = node("game", 1);
    Object unencodable = new Object() {
      @SuppressWarnings("unused")
      public Object getSelf() {
        throw new IllegalStateException("encoded");
      }
    };
    assertThat(game.node.publisher().publish("nobody:listens", unencodable)).isZero();
  }
}
