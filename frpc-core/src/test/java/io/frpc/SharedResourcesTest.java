package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes on one {@link FrpcResources} run on its threads and never shut them down; its owner does. */
class SharedResourcesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Module "svc". */
  public static final class Service {
    private final FrpcInstance self;

    public Service(FrpcInstance self) {
      this.self = self;
    }

    public String whoami() {
      return self.node().toString();
    }
  }

  private final FrpcResources shared = FrpcResources.builder().ioThreads(2).label("shared-test").build();
  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TestNode::close);
    shared.close();
  }

  private TestNode node(String name) {
    TestNode node = TestNode.builder(name, 1).handler(HandlerDefinition.of("svc", null, 1, Service::new))
        .configure(builder -> builder.resources(shared)).start();
    nodes.add(node);
    return node;
  }

  @Test
  void twoNodesOnSharedResourcesCallEachOther() {
    TestNode lobby = node("lobby");
    TestNode game = node("game");
    lobby.connectedTo(game);
    game.connectedTo(lobby);

    assertThat(lobby.frpc.module("game", "svc").call("whoami", String.class)).isEqualTo("game:1");
    assertThat(game.frpc.module("lobby", "svc").call("whoami", String.class)).isEqualTo("lobby:1");
    assertThat(threadsNamed("frpc-io-shared-test")).isNotEmpty();
    assertThat(threadsNamed("frpc-io-lobby")).as("no event loops of the node's own").isEmpty();
  }

  @Test
  void closingOneNodeLeavesTheOtherWorkingOnTheResources() {
    TestNode lobby = node("lobby");
    TestNode game = node("game");
    TestNode chat = node("chat");
    lobby.connectedTo(game).connectedTo(chat);

    game.close();

    assertThat(shared.isClosed()).isFalse();
    assertThat(lobby.frpc.module("chat", "svc").call("whoami", String.class)).isEqualTo("chat:1");
    await().atMost(WAIT).until(() -> !lobby.frpc.isActive("game"));
  }

  @Test
  void theResourcesCloseAfterTheNodesThatUsedThem() {
    TestNode lobby = node("lobby");
    TestNode game = node("game");
    lobby.connectedTo(game);
    lobby.close();
    game.close();
    assertThat(shared.isClosed()).isFalse();

    shared.close();

    assertThat(shared.isClosed()).isTrue();
    await().atMost(WAIT).until(() -> threadsNamed("frpc-io-shared-test").isEmpty()
        && threadsNamed("frpc-worker-shared-test").isEmpty() && threadsNamed("frpc-events-shared-test").isEmpty());
  }

  @Test
  void eachNodeCountsOnlyItsOwnBytes() {
    TestNode lobby = node("lobby");
    TestNode game = node("game");
    TestNode idle = node("idle");
    lobby.connectedTo(game);

    lobby.frpc.module("game", "svc").call("whoami", String.class);

    assertThat(lobby.node.bytesSent()).isPositive();
    assertThat(game.node.bytesReceived()).isPositive();
    assertThat(idle.node.bytesReceived()).isZero();
    assertThat(idle.node.bytesSent()).isZero();
  }

  private static Set<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
        .collect(Collectors.toSet());
  }
}
