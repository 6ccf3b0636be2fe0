package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.bridge.BridgeConnection;
import io.frpc.bridge.BridgeRequest;
import io.frpc.bridge.BridgeRequest.Pick;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests of another protocol's peers, handed over through {@link FrpcNode#bridge()}, run on the node's
 * modules as frpc requests do: typed arguments, instance choice, errors with their codes, sends, deadlines, and
 * cancellation when the peer's connection closes.
 */
class NodeBridgeTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ExecutorService connectionThread = Executors.newSingleThreadExecutor();
  private FrpcNode node;
  private BridgeConnection bridge;

  record Point(int x, int y) {
  }

  /** Module "calc": two instances, and one more named "special". */
  public static final class Calc {
    static final List<String> SENT = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch holding;
    static volatile CountDownLatch release;
    static volatile boolean sawCancel;
    final String name;

    Calc(FrpcInstance instance) {
      this.name = instance.instanceName() + ":" + instance.index();
    }

    public int add(int a, int b) {
      return a + b;
    }

    public Point move(Point p, int by) {
      return new Point(p.x() + by, p.y() + by);
    }

    public String whoAmI() {
      return name;
    }

    public void note(String what) {
      SENT.add(what);
    }

    public String fail(String why) {
      throw new IllegalStateException(why);
    }

    public String hold() throws InterruptedException {
      holding.countDown();
      while (!FrpcCall.current().isCancelled() && !release.await(10, TimeUnit.MILLISECONDS)) {
        // until released or cancelled
      }
      sawCancel = FrpcCall.current().isCancelled();
      return "held";
    }
  }

  @BeforeEach
  void start() {
    Calc.SENT.clear();
    Calc.holding = new CountDownLatch(1);
    Calc.release = new CountDownLatch(1);
    Calc.sawCancel = false;
    node = FrpcNode.builder("game", 1).transport(Transport.IN_JVM)
        .handler(HandlerDefinition.of("calc", null, 2, Calc::new))
        .handler(HandlerDefinition.of("calc", "special", 1, Calc::new))
        .build();
    node.start();
    bridge = node.bridge().connect(new NodeId("lua_client", 7), connectionThread);
  }

  @AfterEach
  void stop() {
    bridge.close();
    node.close();
    connectionThread.shutdownNow();
  }

  private static BridgeRequest request(Pick pick, long key, String instance, String command, Object... args) {
    return new BridgeRequest("calc", instance, pick, key, command, args, null);
  }

  /** Hands a request over on the connection's thread, as a listener does. */
  private <T> T onConnection(java.util.function.Supplier<CompletableFuture<T>> request) throws Exception {
    return CompletableFuture.supplyAsync(request, connectionThread).join().get(10, TimeUnit.SECONDS);
  }

  @Test
  void argumentsBindToTheCommandsTypesAndTheResultComesBackAsATree() throws Exception {
    JsonNode sum = onConnection(() -> bridge.call(request(Pick.BALANCE, 0, null, "add", JSON.readTree("2"), 3)));
    assertThat(sum.asInt()).isEqualTo(5);
    JsonNode moved = onConnection(() -> bridge.call(request(Pick.BALANCE, 0, null, "move",
        JSON.readTree("{\"x\":1,\"y\":2}"), 10)));
    assertThat(moved.get("x").asInt()).isEqualTo(11);
    assertThat(moved.get("y").asInt()).isEqualTo(12);
  }

  @Test
  void instancesArePickedInTurnByKeyAllOrByName() throws Exception {
    List<String> inTurn = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inTurn.add(onConnection(() -> bridge.call(request(Pick.BALANCE, 0, null, "whoAmI"))).asText());
    }
    assertThat(inTurn).containsExactlyInAnyOrder("null:0", "null:1", "special:0");
    String byKey = onConnection(() -> bridge.call(request(Pick.MOD, 41, null, "whoAmI"))).asText();
    for (int i = 0; i < 5; i++) {
      assertThat(onConnection(() -> bridge.call(request(Pick.MOD, 41, null, "whoAmI"))).asText()).isEqualTo(byKey);
    }
    List<InstanceReply<JsonNode>> all = onConnection(() -> bridge.broadcast(request(Pick.BROADCAST, 0, null,
        "whoAmI")));
    assertThat(all).extracting(reply -> reply.value().asText()).containsExactlyInAnyOrder("null:0", "null:1",
        "special:0");
    List<InstanceReply<JsonNode>> named = onConnection(() -> bridge.broadcast(request(Pick.BROADCAST, 0, "special",
        "whoAmI")));
    assertThat(named).singleElement().satisfies(reply -> assertThat(reply.value().asText()).isEqualTo("special:0"));
  }

  @Test
  void failuresCarryTheirCodes() {
    assertThatThrownBy(() -> onConnection(() -> bridge.call(new BridgeRequest("nope", null, Pick.BALANCE, 0, "x",
        new Object[0], null)))).cause().isInstanceOfSatisfying(RemoteCallException.class,
            e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_MODULE));
    assertThatThrownBy(() -> onConnection(() -> bridge.call(request(Pick.BALANCE, 0, null, "add", "two", "three"))))
        .cause().isInstanceOfSatisfying(RemoteCallException.class,
            e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.BAD_ARGUMENTS));
    assertThatThrownBy(() -> onConnection(() -> bridge.call(request(Pick.BALANCE, 0, null, "fail", "boom"))))
        .cause().isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.COMMAND_FAILED);
          assertThat(e.remoteMessage()).isEqualTo("boom");
        });
    List<InstanceReply<JsonNode>> broadcast = bridge.broadcast(request(Pick.BROADCAST, 0, null, "fail", "each"))
        .join();
    assertThat(broadcast).hasSize(3).allSatisfy(reply -> assertThat(reply.error().remoteMessage()).isEqualTo("each"));
  }

  @Test
  void aSendRunsWithoutAReply() {
    connectionThread.execute(() -> bridge.send(request(Pick.BALANCE, 0, null, "note", "sent")));
    await().atMost(Duration.ofSeconds(10)).until(() -> Calc.SENT.contains("sent"));
  }

  @Test
  void aRequestWhoseDeadlinePassedInTheMailboxDoesNotRun() throws Exception {
    CompletableFuture<JsonNode> hold = onConnectionThread(request(Pick.MOD, 1, null, "hold"));
    assertThat(Calc.holding.await(10, TimeUnit.SECONDS)).isTrue();
    // the same instance (same key), behind the one that holds it
    CompletableFuture<JsonNode> late = onConnectionThread(new BridgeRequest("calc", null, Pick.MOD, 1, "whoAmI",
        new Object[0], Duration.ofMillis(100)));
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
    Calc.release.countDown();
    assertThat(hold.get(10, TimeUnit.SECONDS).asText()).isEqualTo("held");
    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
        RemoteCallException.class, e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.DEADLINE_EXCEEDED));
  }

  @Test
  void closingTheConnectionCancelsWhatRunsAndFailsWhatWaits() throws Exception {
    CompletableFuture<JsonNode> hold = onConnectionThread(request(Pick.MOD, 1, null, "hold"));
    assertThat(Calc.holding.await(10, TimeUnit.SECONDS)).isTrue();
    bridge.close();
    assertThatThrownBy(() -> hold.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ConnectionLostException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> Calc.sawCancel);
    assertThatThrownBy(() -> onConnection(() -> bridge.call(request(Pick.BALANCE, 0, null, "whoAmI"))))
        .cause().isInstanceOf(ConnectionLostException.class);
  }

  private CompletableFuture<JsonNode> onConnectionThread(BridgeRequest request) {
    return CompletableFuture.supplyAsync(() -> bridge.call(request), connectionThread).join();
  }

  /** What a bridge subscriber received, in order. */
  private static final class Received implements io.frpc.bridge.BridgeSubscriber {
    final List<String> log = new CopyOnWriteArrayList<>();

    @Override
    public void message(int subscriptionId, String channel, JsonNode payload, int dropped) {
      log.add(subscriptionId + " " + channel + " " + payload + " dropped " + dropped);
    }

    @Override
    public void state(int subscriptionId, String channel, long version, JsonNode value) {
      log.add(subscriptionId + " " + channel + " v" + version + " " + value);
    }

    @Override
    public void rejected(int subscriptionId, String reason) {
      log.add(subscriptionId + " rejected " + reason);
    }

    @Override
    public long queuedBytes() {
      return 0;
    }
  }

  @Test
  void aBridgeConnectionSubscribesToTheNodesChannelsAsAnFrpcSubscriberDoes() throws Exception {
    Received received = new Received();
    BridgeConnection subscriber = node.bridge().connect(new NodeId("lua_watch", 7), connectionThread, received);
    node.publisher().publishState("room:1:state", new Point(1, 1));
    CompletableFuture.runAsync(() -> {
      subscriber.subscribe(1, "news", false);
      subscriber.subscribe(2, "room:1:state", true);
      subscriber.subscribe(3, "room:*:state", true);
    }, connectionThread).get(10, TimeUnit.SECONDS);
    // a state watcher gets the current version at once
    await().atMost(Duration.ofSeconds(10)).until(() -> received.log.size() == 2);
    assertThat(received.log).containsExactlyInAnyOrder("2 room:1:state v1 {\"x\":1,\"y\":1}",
        "3 room:1:state v1 {\"x\":1,\"y\":1}");

    assertThat(node.publisher().publish("news", "hello")).isEqualTo(1);
    node.publisher().publishState("room:2:state", new Point(2, 2));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.log.size() == 4);
    assertThat(received.log.subList(2, 4)).containsExactly("1 news \"hello\" dropped 0",
        "3 room:2:state v1 {\"x\":2,\"y\":2}");

    CompletableFuture.runAsync(() -> subscriber.unsubscribe(1), connectionThread).get(10, TimeUnit.SECONDS);
    assertThat(node.publisher().publish("news", "nobody")).isZero();
    subscriber.close();
    assertThat(node.publisher().stateWatcherCount("room:1:state")).isZero();
    assertThatThrownBy(() -> CompletableFuture.runAsync(() -> bridge.subscribe(9, "x", false), connectionThread)
        .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(IllegalStateException.class);
  }
}
