package io.frpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.ConnectionLostException;
import io.frpc.FrpcException;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.Transport;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.frpc.client.FrpcClient;
import io.frpc.testing.CapturedLogs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster extension on its default, in-JVM transport: calls, typed clients, and ending nodes three ways. */
class FrpcClusterTest {

  @RegisterExtension
  final FrpcCluster cluster = FrpcCluster.create();

  /** A handler as users write them. */
  public static final class Greeter {
    public String greet(String name) {
      return "hello " + name;
    }
  }

  @FrpcClient(node = "game", module = "greeter")
  public interface GreeterClient {
    String greet(String name);
  }

  /** Loads the classes a first cluster needs, so the timed test below measures a cluster and not the JVM. */
  @BeforeAll
  static void warmUp() {
    try (FrpcCluster warm = FrpcCluster.create()) {
      warm.node("warm", 1).handler("greeter", new Greeter()).start();
      warm.node("warm", 2).start().template().module("warm", "greeter").call("greet", String.class, "jvm");
    }
  }

  @Test
  void handlersAreCalledOverTheInJvmTransportInWellUnderASecond() {
    long started = System.nanoTime();
    try (FrpcCluster timed = FrpcCluster.create()) {
      timed.node("game", 1).handler("greeter", new Greeter()).start();
      ClusterNode lobby = timed.node("lobby", 1).start();

      assertThat(lobby.template().module("game", "greeter").call("greet", String.class, "alice"))
          .isEqualTo("hello alice");
      assertThat(lobby.client(GreeterClient.class).greet("bob")).isEqualTo("hello bob");
      assertThat(lobby.node().connectedNodes()).extracting(RemoteNode::host).containsExactly(Transport.IN_JVM_HOST);
      assertThat(timed.get("game", 1).node().listenAddress().getHostString()).isEqualTo(Transport.IN_JVM_HOST);
    }
    // two nodes started, connected both ways, called twice and closed
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(600));
  }

  @Test
  void everyNodeIsConnectedToEveryOtherWhenItHasStarted() {
    ClusterNode game1 = cluster.node("game", 1).handler("greeter", new Greeter()).start();
    ClusterNode game2 = cluster.node("game", 2).handler("greeter", new Greeter()).start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    assertThat(lobby.template().activeNodeIds("game")).containsExactly(1, 2);
    assertThat(game1.template().isActive("game", 2)).isTrue();
    assertThat(game2.template().isActive("lobby", 1)).isTrue();
    assertThat(lobby.events()).containsExactlyInAnyOrder(NodeEvent.up(game1.id()), NodeEvent.up(game2.id()));
    assertThat(cluster.nodes()).containsExactly(game1, game2, lobby);
  }

  @Test
  void aPureCallerIsConnectedToTheOthersButNotTheyToIt() {
    cluster.node("game", 1).handler("greeter", new Greeter()).start();
    ClusterNode caller = cluster.node("caller", 1).configure(node -> node.serve(false)).start();

    assertThat(caller.template().module("game", "greeter").call("greet", String.class, "carol"))
        .isEqualTo("hello carol");
    assertThat(cluster.get("game", 1).node().connectedNodes()).isEmpty();
  }

  @Test
  void aKilledNodeIsSeenDownWithALostConnectionAndCallsToItFail() {
    ClusterNode game = cluster.node("game", 1).handler("greeter", new Greeter()).start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    game.kill();

    assertThat(lobby.awaitDown("game", 1)).isEqualTo(NodeDownReason.CONNECTION_LOST);
    assertThat(game.isRunning()).isFalse();
    assertThatThrownBy(() -> lobby.template().module("game", "greeter").node(1).timeout(Duration.ofMillis(200))
        .call("greet", String.class, "dave")).isInstanceOf(FrpcException.class);
  }

  @Test
  void aKilledNodeIsSeenDownAtOnceEveryTimeNotAtItsPeersNextHeartbeat() {
    // Netty left about one in ten killed nodes' channels open (a shutdown that began at one moment of an event
    // loop's turn), and their peers saw them close only at their next heartbeat, 5 s later
    try (FrpcCluster quick = FrpcCluster.builder().awaitTimeout(Duration.ofSeconds(2)).build()) {
      for (int i = 0; i < 60; i++) {
        ClusterNode game = quick.node("game", 1).handler("greeter", new Greeter()).start();
        ClusterNode lobby = quick.node("lobby", 1).start();
        lobby.awaitUp("game", 1);

        game.kill();

        assertThat(lobby.awaitDown("game", 1)).as("kill %d", i).isEqualTo(NodeDownReason.CONNECTION_LOST);
        lobby.stop();
      }
    }
  }

  @Test
  void aKilledNodeStartedAgainIsSeenUpAgain() {
    cluster.node("game", 1).handler("greeter", new Greeter()).start().kill();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    ClusterNode restarted = cluster.node("game", 1).handler("greeter", new Greeter()).start();

    lobby.awaitUp("game", 1);
    assertThat(cluster.get("game", 1)).isSameAs(restarted);
    assertThat(lobby.template().module("game", "greeter").call("greet", String.class, "erin")).isEqualTo("hello erin");
  }

  @Test
  void aStoppedNodeIsSeenDownAsShutDown() {
    ClusterNode game = cluster.node("game", 1).handler("greeter", new Greeter()).start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    game.stop();

    assertThat(lobby.awaitDown("game", 1)).isEqualTo(NodeDownReason.SHUTDOWN);
    assertThat(lobby.events()).containsExactly(NodeEvent.up(game.id()), NodeEvent.down(game.id(),
        NodeDownReason.SHUTDOWN));
    assertThat(game.node().isRunning()).isFalse();
  }

  /** A handler whose command waits until the test lets it go. */
  public static final class Slow {
    private final CountDownLatch entered;
    private final CountDownLatch release;

    Slow(CountDownLatch entered, CountDownLatch release) {
      this.entered = entered;
      this.release = release;
    }

    public String work() throws InterruptedException {
      entered.countDown();
      release.await(10, TimeUnit.SECONDS);
      return "done";
    }
  }

  @Test
  void aDrainingNodeFinishesTheCallsOnItBeforeItCloses() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ClusterNode game = cluster.node("game", 1).handler("slow", new Slow(entered, release)).start();
    ClusterNode lobby = cluster.node("lobby", 1).start();
    CompletableFuture<String> call = lobby.template().module("game", "slow").callAsync("work", String.class);
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> drained = game.drain();

    assertThat(lobby.awaitDown("game", 1)).isEqualTo(NodeDownReason.SHUTDOWN);
    assertThat(drained).isNotDone();
    assertThat(game.isRunning()).isFalse();
    release.countDown();
    assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
    drained.get(5, TimeUnit.SECONDS);
    assertThat(game.node().isRunning()).isFalse();
  }

  @Test
  void aCallInFlightOnAKilledNodeFailsWithALostConnection() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ClusterNode game = cluster.node("game", 1).handler("slow", new Slow(entered, release)).start();
    ClusterNode lobby = cluster.node("lobby", 1).start();
    CompletableFuture<String> call = lobby.template().module("game", "slow").callAsync("work", String.class);
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    game.kill();

    assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
        .havingCause().isInstanceOf(ConnectionLostException.class);
    release.countDown();
  }

  @Test
  void endingInJvmNodesLeavesNoWarningOfTheTransport() {
    try (CapturedLogs netty = CapturedLogs.of("io.netty")) {
      ClusterNode game1 = cluster.node("game", 1).handler("greeter", new Greeter()).start();
      ClusterNode game2 = cluster.node("game", 2).handler("greeter", new Greeter()).start();
      ClusterNode lobby = cluster.node("lobby", 1).start();

      game1.kill();
      game2.stop();
      assertThat(lobby.awaitDown("game", 1)).isEqualTo(NodeDownReason.CONNECTION_LOST);
      cluster.close();

      assertThat(netty.events()).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
      assertThat(lobby.events()).contains(NodeEvent.down(game2.id(), NodeDownReason.SHUTDOWN));
    }
  }

  @Test
  void aNodeOfARunningIdentityIsRefused() {
    cluster.node("game", 1).start();

    assertThatThrownBy(() -> cluster.node("game", 1).start()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already runs node game:1");
  }

  @Test
  void awaitingAnEventThatDoesNotComeFailsNamingTheEventsSeen() {
    ClusterNode lobby = FrpcCluster.builder().awaitTimeout(Duration.ofMillis(100)).build().node("lobby", 7).start();
    try {
      assertThatThrownBy(() -> lobby.awaitUp("game", 9)).isInstanceOf(AssertionError.class)
          .hasMessageContaining("lobby:7 did not see game:9 up within 100 ms; its events: []");
    } finally {
      lobby.stop();
    }
  }

  @Test
  void theClusterNamesTheNodesItHasWhenAskedForAnother() {
    cluster.node("game", 1).start();

    assertThatThrownBy(() -> cluster.get("game", 2)).hasMessage("this cluster has no node game:2 (it has [game:1])");
    assertThat(new NodeId("game", 1)).isEqualTo(cluster.get("game", 1).id());
  }
}
