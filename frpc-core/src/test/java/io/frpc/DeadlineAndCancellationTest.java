package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.internal.protocol.FrameType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One deadline per call, across hops, and cancellation down a chain, over real loopback connections: a chain
 * lobby → game → match where match sees no more than lobby's remaining budget, where lobby giving up (its deadline,
 * or a cancelled future) drops match's queued request unrun, and where a synchronous caller's wait ends with its
 * deadline even while it waits for a node. An older peer without the cancel feature still interoperates.
 */
class DeadlineAndCancellationTest {

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    nodes.forEach(TestNode::close);
  }

  private TestNode start(TestNode.Builder builder) {
    TestNode node = builder.start();
    nodes.add(node);
    return node;
  }

  /** The match node's handler: one actor, so a blocked {@code hold} queues every later request behind it. */
  public static final class Match {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final AtomicReference<Duration> remainingSeen = new AtomicReference<>();
    final CountDownLatch release = new CountDownLatch(1);

    public String hold() throws InterruptedException {
      release.await(30, TimeUnit.SECONDS);
      return "held";
    }

    public String work(String what) {
      remainingSeen.set(FrpcCall.current().timeRemaining().orElseThrow());
      ran.add(what);
      return "done " + what;
    }
  }

  /** The game node's handler: relays to match, as a handler calling another node does, passing nothing on. */
  public static final class Game {
    /** The template of the node serving it, set once that node is built. */
    final AtomicReference<FrpcTemplate> template = new AtomicReference<>();
    final List<Boolean> cancelledSeen = new CopyOnWriteArrayList<>();
    final List<String> failedAtOnce = new CopyOnWriteArrayList<>();

    public String relay(String what) {
      try {
        return template.get().module("match", "match").call("work", String.class, what);
      } finally {
        cancelledSeen.add(FrpcCall.current().isCancelled());
      }
    }

    public String relayLater(String what) {
      FrpcCall served = FrpcCall.current();
      await().atMost(Duration.ofSeconds(10)).until(served::isCancelled);
      // made after the call it serves was cancelled: it fails at once
      long started = System.nanoTime();
      try {
        return template.get().module("match", "match").call("work", String.class, what);
      } catch (FrpcException e) {
        failedAtOnce.add(e.getClass().getSimpleName() + (System.nanoTime() - started < 100_000_000 ? " at once" : ""));
        throw e;
      }
    }
  }

  /** lobby → game → match, each connected to the next; match's actor handler is {@code match}. */
  private record Chain(TestNode lobby, TestNode game, TestNode match, Match handler, Game relay) {
  }

  private Chain chain(Set<String> gameFeatures) {
    Match handler = new Match();
    TestNode match = start(TestNode.builder("match", 1).module("match", null, 1, i -> handler));
    Game relay = new Game();
    TestNode game = start(TestNode.builder("game", 1).configure(b -> b.protocolFeatures(gameFeatures)
        .handler(HandlerDefinition.of("game", null, 1, self -> relay).runConcurrently())));
    relay.template.set(game.frpc);
    game.connectedTo(match);
    TestNode lobby = start(TestNode.builder("lobby", 1));
    lobby.connectedTo(game);
    return new Chain(lobby, game, match, handler, relay);
  }

  /** Blocks match's only instance, so that the next request waits in its mailbox. */
  private static CompletableFuture<String> holdMatch(Chain chain) {
    CompletableFuture<String> held = chain.lobby().connectedTo(chain.match()).frpc.module("match", "match")
        .callAsync("hold", String.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.match().requestsInFlight() == 1);
    return held;
  }

  /** Lets match's instance go, and waits until every request match got is done. */
  private static void releaseMatch(Chain chain, CompletableFuture<String> held) {
    chain.handler().release.countDown();
    assertThat(held.join()).isEqualTo("held");
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.match().requestsInFlight() == 0);
  }

  /** What {@code call} threw, caught without any assertion library on the measured path. */
  private static Throwable failure(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void theLastNodeOfAChainSeesTheFirstCallersRemainingBudgetNeverMore() {
    Chain chain = chain(FrameType.FEATURES);

    String reply = chain.lobby().frpc.module("game", "game").timeout(Duration.ofMillis(1500))
        .call("relay", String.class, "x");

    assertThat(reply).isEqualTo("done x");
    // game's own call-timeout is 10 s; match is given what is left of lobby's 1.5 s
    assertThat(chain.handler().remainingSeen.get()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void whenTheFirstCallersDeadlinePassesTheQueuedRequestAtTheEndOfTheChainNeverRuns() {
    Chain chain = chain(FrameType.FEATURES);
    CompletableFuture<String> held = holdMatch(chain);

    assertThatThrownBy(() -> chain.lobby().frpc.module("game", "game").timeout(Duration.ofMillis(400))
        .call("relay", String.class, "late")).isInstanceOf(CallTimeoutException.class);
    // game's nested call ends with lobby's deadline, and match is told while the request still waits
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.game().requestsInFlight() == 0);
    releaseMatch(chain, held);

    assertThat(chain.handler().ran).as("match never ran the request nobody waited for").isEmpty();
  }

  @Test
  void cancellingTheFirstCallersFutureCancelsTheWholeChainAndTheQueuedRequestNeverRuns() {
    Chain chain = chain(FrameType.FEATURES);
    CompletableFuture<String> held = holdMatch(chain);

    CompletableFuture<String> call = chain.lobby().frpc.module("game", "game").timeout(Duration.ofSeconds(20))
        .callAsync("relay", String.class, "cancelled");
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.match().requestsInFlight() == 2);
    call.cancel(true);

    await().atMost(Duration.ofSeconds(10)).until(() -> chain.relay().cancelledSeen.contains(true));
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.game().requestsInFlight() == 0);
    releaseMatch(chain, held);
    assertThat(chain.handler().ran).as("match never ran the request of a cancelled call").isEmpty();
  }

  @Test
  void aCallMadeAfterTheServedCallWasCancelledFailsAtOnce() {
    Chain chain = chain(FrameType.FEATURES);

    CompletableFuture<String> call = chain.lobby().frpc.module("game", "game").timeout(Duration.ofSeconds(20))
        .callAsync("relayLater", String.class, "never");
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.game().requestsInFlight() == 1);
    call.cancel(true);

    await().atMost(Duration.ofSeconds(10)).until(() -> chain.game().requestsInFlight() == 0);
    assertThat(chain.relay().failedAtOnce).containsExactly("CallCancelledException at once");
    assertThat(chain.handler().ran).isEmpty();
  }

  @Test
  void aSynchronousCallersWaitEndsWithin50MillisecondsOfItsDeadlineEvenWaitingForANode() {
    TestNode lobby = start(TestNode.builder("lobby", 1).configure(b -> b.connectWait(Duration.ofSeconds(3))));
    lobby.client.nodeAvailable(new NodeId("game", 9), "127.0.0.1", 1);

    ModuleCall call = lobby.frpc.module("game", "game").node(9).timeout(Duration.ofMillis(500));
    long started = System.nanoTime();
    Throwable failure = failure(() -> call.call("relay", String.class, "x"));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(failure).isInstanceOf(NoNodeConnectedException.class);
    // the 3 s connect wait is part of the 500 ms deadline, not added to it
    assertThat(tookMillis).isBetween(450L, 550L);
  }

  @Test
  void aCallToEveryNodeEndsWithin50MillisecondsOfItsDeadlineEvenWaitingForANode() {
    TestNode lobby = start(TestNode.builder("lobby", 1).configure(b -> b.connectWait(Duration.ofSeconds(3))));
    lobby.client.nodeAvailable(new NodeId("game", 9), "127.0.0.1", 1);
    AllNodesCall call = lobby.frpc.module("game", "game").timeout(Duration.ofMillis(500)).allNodes();

    long started = System.nanoTime();
    Throwable failure = failure(() -> call.call("relay", String.class, "x"));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(failure).isInstanceOf(NoNodeConnectedException.class);
    assertThat(tookMillis).isBetween(450L, 550L);
  }

  @Test
  void aSynchronousCallersWaitEndsWithin50MillisecondsOfItsDeadlineWhenTheNodeDoesNotAnswer() {
    Chain chain = chain(FrameType.FEATURES);
    CompletableFuture<String> held = holdMatch(chain);

    ModuleCall call = chain.lobby().frpc.module("match", "match").timeout(Duration.ofMillis(300));
    long started = System.nanoTime();
    Throwable failure = failure(() -> call.call("work", String.class, "x"));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(failure).isInstanceOf(CallTimeoutException.class);
    assertThat(tookMillis).isBetween(290L, 350L);
    releaseMatch(chain, held);
  }

  @Test
  void anOlderPeerWithoutTheCancelFeatureStillInteroperatesAndIsNeverSentCancel() {
    Set<String> older = new HashSet<>(FrameType.FEATURES);
    older.remove(FrameType.FEATURE_CANCEL);
    Chain chain = chain(older);

    assertThat(chain.lobby().frpc.module("game", "game").call("relay", String.class, "old")).isEqualTo("done old");
    CompletableFuture<String> held = holdMatch(chain);
    // lobby gives up on the older game node: no CANCEL is sent to it (it would close the connection as a protocol
    // error), and game's relay then ends at lobby's deadline all the same
    assertThatThrownBy(() -> chain.lobby().frpc.module("game", "game").timeout(Duration.ofMillis(300))
        .call("relay", String.class, "late")).isInstanceOf(CallTimeoutException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.game().requestsInFlight() == 0);
    releaseMatch(chain, held);

    assertThat(chain.lobby().client.isActive("game", 1)).as("the connection to the older node is intact").isTrue();
    assertThat(chain.lobby().frpc.module("game", "game").call("relay", String.class, "again"))
        .isEqualTo("done again");
  }
}
