package io.frpc.skynet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.RemoteNode;
import io.frpc.Transport;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateListener;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.server.SkynetServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java subscribers of a node's channels over TCP against the module's own server side (a {@link SkynetServer} in
 * front of an frpc node publishing), which answers sub/subsyn/psubsyn as skynet_fly's frpc_server does, in each
 * security configuration of the node map entry.
 */
class SkynetChannelsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  record Score(String player, int points) {
  }

  private FrpcNode node;
  private SkynetServer server;
  private SkynetNodes client;

  @BeforeEach
  void startNode() {
    node = FrpcNode.builder("java_s", 1).transport(Transport.IN_JVM).build();
    node.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    node.close();
  }

  private SkynetChannels connect(String security) {
    return connect(security, 0);
  }

  private SkynetChannels connect(String security, int port) {
    SkynetServer.Builder builder = SkynetServer.builder(node).listen("127.0.0.1", port);
    switch (security) {
      case "secret" -> builder.security("k", false);
      case "encrypt" -> builder.security("k", true);
      default -> { }
    }
    server = builder.build();
    server.start();
    SkynetRemoteNode entry = SkynetRemoteNode.of("java_s", 1, "127.0.0.1:" + server.address().getPort());
    entry = switch (security) {
      case "secret" -> entry.withSecretKey("k");
      case "encrypt" -> entry.withSecretKey("k").withEncryption();
      default -> entry;
    };
    client = SkynetNodes.builder("java_c", 7).node(entry).reconnectDelay(Duration.ofMillis(100)).build();
    client.start();
    await().atMost(WAIT).until(() -> client.isActive("java_s"));
    return client.channels("java_s");
  }

  /** A listener that queues what it receives, node events included. */
  static final class Recorder<T> implements MessageListener<T>, StateListener<T> {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChannelMessage<T> message) {
      events.add(message);
    }

    @Override
    public void onState(StateUpdate<T> update) {
      events.add(update);
    }

    @Override
    public void nodeJoined(RemoteNode remote) {
      events.add("joined " + remote.id());
    }

    @Override
    public void nodeLost(RemoteNode remote, io.frpc.NodeDownReason reason) {
      events.add("lost " + remote.id());
    }

    Object next() throws InterruptedException {
      Object event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("an event within 10 s").isNotNull();
      return event;
    }

    @SuppressWarnings("unchecked")
    <E> E next(Class<E> type) throws InterruptedException {
      Object event;
      do {
        event = next();
      } while (event instanceof String);
      assertThat(event).isInstanceOf(type);
      return (E) event;
    }
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void publishedMessagesReachTheSubscriberUntilItCloses(String security) throws Exception {
    SkynetChannels channels = connect(security);
    Recorder<Score> scores = new Recorder<>();
    Subscription subscription = channels.subscribe("scores", Score.class, scores);
    assertThat(scores.next()).isEqualTo("joined java_s:1");
    await().atMost(WAIT).until(() -> node.publisher().hasSubscribers("scores"));
    assertThat(subscription.nodes()).extracting(Object::toString).containsExactly("java_s:1");

    node.publisher().publish("scores", new Score("ann", 3));
    node.publisher().publish("scores", new Score("bob", 5));

    ChannelMessage<?> first = scores.next(ChannelMessage.class);
    assertThat(first.payload()).isEqualTo(new Score("ann", 3));
    assertThat(first.channel()).isEqualTo("scores");
    assertThat(first.nodeId().toString()).isEqualTo("java_s:1");
    assertThat(scores.next(ChannelMessage.class).payload()).isEqualTo(new Score("bob", 5));

    subscription.close();
    await().atMost(WAIT).until(() -> !node.publisher().hasSubscribers("scores"));
    assertThat(subscription.isClosed()).isTrue();
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void aStateWatcherGetsTheCurrentValueThenEachNewerVersion(String security) throws Exception {
    node.publisher().publishState("room:1:owner", "ann");
    SkynetChannels channels = connect(security);
    Recorder<String> owner = new Recorder<>();
    channels.watchState("room:1:owner", String.class, owner);

    StateUpdate<?> first = owner.next(StateUpdate.class);
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.value()).isEqualTo("ann");

    node.publisher().publishState("room:1:owner", "bob");
    StateUpdate<?> second = owner.next(StateUpdate.class);
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.value()).isEqualTo("bob");

    node.publisher().publishState("room:1:owner", "cid");
    node.publisher().publishState("room:1:owner", "dan");
    StateUpdate<?> latest;
    do {
      latest = owner.next(StateUpdate.class);
    } while (latest.version() < 4);
    assertThat(latest.value()).isEqualTo("dan");
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void aPatternWatcherFollowsEveryMatchingStateChannel(String security) throws Exception {
    node.publisher().publishState("room:1:owner", "ann");
    SkynetChannels channels = connect(security);
    Recorder<String> owners = new Recorder<>();
    channels.watchState("room:*:owner", String.class, owners);

    StateUpdate<?> room1 = owners.next(StateUpdate.class);
    assertThat(room1.channel()).isEqualTo("room:1:owner");
    assertThat(room1.value()).isEqualTo("ann");

    node.publisher().publishState("room:2:owner", "bob");
    StateUpdate<?> room2 = owners.next(StateUpdate.class);
    assertThat(room2.channel()).isEqualTo("room:2:owner");
    assertThat(room2.value()).isEqualTo("bob");

    node.publisher().publishState("room:1:owner", "cid");
    StateUpdate<?> room1Again = owners.next(StateUpdate.class);
    assertThat(room1Again.channel()).isEqualTo("room:1:owner");
    assertThat(room1Again.version()).isEqualTo(2);
    assertThat(room1Again.value()).isEqualTo("cid");
  }

  @Test
  void rawSubscribersGetEveryPublishedLuaValue() throws Exception {
    SkynetChannels channels = connect("none");
    BlockingQueue<List<LuaValue>> raw = new LinkedBlockingQueue<>();
    channels.subscribeRaw("ticks", message -> raw.add(message.payload()));
    await().atMost(WAIT).until(() -> node.publisher().hasSubscribers("ticks"));

    node.publisher().publish("ticks", 42);

    assertThat(raw.poll(10, TimeUnit.SECONDS)).containsExactly(new LuaInteger(42));
  }

  @Test
  void aSubscriptionComesBackAfterTheNodeRestarts() throws Exception {
    node.publisher().publishState("room:1:owner", "ann");
    SkynetChannels channels = connect("none");
    int port = server.address().getPort();
    Recorder<Score> scores = new Recorder<>();
    Recorder<String> owner = new Recorder<>();
    channels.subscribe("scores", Score.class, scores);
    channels.watchState("room:1:owner", String.class, owner);
    assertThat(owner.next(StateUpdate.class).value()).isEqualTo("ann");
    await().atMost(WAIT).until(() -> node.publisher().hasSubscribers("scores"));

    server.close();
    assertThat(scores.next()).isEqualTo("joined java_s:1");
    assertThat(scores.next()).isEqualTo("lost java_s:1");
    node.close();
    node = FrpcNode.builder("java_s", 1).transport(Transport.IN_JVM).build();
    node.start();
    node.publisher().publishState("room:1:owner", "bob");
    server = bindWithRetries(port);

    assertThat(scores.next()).isEqualTo("joined java_s:1");
    await().atMost(WAIT).until(() -> node.publisher().hasSubscribers("scores"));
    node.publisher().publish("scores", new Score("cid", 1));
    assertThat(scores.next(ChannelMessage.class).payload()).isEqualTo(new Score("cid", 1));
    StateUpdate<?> afterRestart = owner.next(StateUpdate.class);
    assertThat(afterRestart.version()).isEqualTo(1);
    assertThat(afterRestart.value()).isEqualTo("bob");
  }

  @Test
  void theLastSubscriptionClosingEndsTheNodesSubscriptions() throws Exception {
    SkynetChannels channels = connect("none");
    Subscription first = channels.subscribe("scores", Score.class, message -> { });
    Subscription second = channels.subscribe("scores", Score.class, message -> { });
    await().atMost(WAIT).until(() -> node.publisher().hasSubscribers("scores"));

    first.close();
    Thread.sleep(200);
    assertThat(node.publisher().hasSubscribers("scores")).as("the second still subscribes").isTrue();
    second.close();
    await().atMost(WAIT).until(() -> !node.publisher().hasSubscribers("scores"));
  }

  private SkynetServer bindWithRetries(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        SkynetServer restarted = SkynetServer.builder(node).listen("127.0.0.1", port).build();
        restarted.start();
        return restarted;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aMessageLargerThanAFrameArrivesInParts() throws Exception {
    SkynetChannels channels = connect("encrypt");
    BlockingQueue<String> big = new LinkedBlockingQueue<>();
    channels.subscribe("big", String.class, message -> big.add(message.payload()));
    await().atMost(WAIT).until(() -> node.publisher().hasSubscribers("big"));

    node.publisher().publish("big", "x".repeat(70_000));

    assertThat(big.poll(10, TimeUnit.SECONDS)).hasSize(70_000);
  }
}
