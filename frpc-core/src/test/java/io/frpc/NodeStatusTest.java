package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.status.ChannelStatus;
import io.frpc.status.ModuleStatus;
import io.frpc.status.NodeStatus;
import io.frpc.status.RemoteNodeState;
import io.frpc.status.RemoteNodeStatus;
import io.frpc.status.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FrpcNode#status()}: what the Actuator endpoint shows, as states change. */
class NodeStatusTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Handler of module "svc". */
  public static final class Service {
    public int echo(int value) {
      return value;
    }

    public void ping() {
    }
  }

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TestNode::close);
  }

  private TestNode start(TestNode.Builder builder) {
    TestNode node = builder.start();
    nodes.add(node);
    return node;
  }

  private static RemoteNodeStatus game1(TestNode caller) {
    return caller.node.status().nodes().stream().filter(n -> n.id().equals(new NodeId("game", 1))).findFirst()
        .orElseThrow();
  }

  @Test
  void theStatusFollowsARemoteNodeThroughUpDrainingDownAndUpAgain() {
    TestNode game = start(TestNode.builder("game", 1).module("svc", "main", 2, i -> new Service()));
    int port = game.port();
    TestNode caller = start(TestNode.builder("caller", 1));
    caller.frpc.channels("game").subscribe("news", String.class, m -> { });
    caller.frpc.channels("game").node(1).watchState("room:*", String.class, u -> { });
    Instant before = Instant.now();
    caller.connectedTo(game);
    assertThat(caller.frpc.module("game", "svc").call("echo", Integer.class, 7)).isEqualTo(7);

    RemoteNodeStatus up = game1(caller);
    assertThat(up.state()).isEqualTo(RemoteNodeState.UP);
    assertThat(up.address()).isEqualTo("127.0.0.1:" + port);
    assertThat(up.since()).isAfterOrEqualTo(before.minusMillis(1));
    assertThat(up.bytesIn()).isPositive();
    assertThat(up.bytesOut()).isPositive();
    assertThat(up.pendingCalls()).isZero();
    assertThat(up.lastFailure()).isNull();

    NodeStatus callerStatus = caller.node.status();
    assertThat(callerStatus.id()).isEqualTo(new NodeId("caller", 1));
    assertThat(callerStatus.protocolVersion()).isEqualTo(1);
    assertThat(callerStatus.uptime()).isPositive();
    assertThat(callerStatus.subscriptions()).extracting(SubscriptionStatus::channel, SubscriptionStatus::state,
        SubscriptionStatus::nodeId).containsExactly(org.assertj.core.groups.Tuple.tuple("news", false, null),
        org.assertj.core.groups.Tuple.tuple("room:*", true, 1));
    await().atMost(WAIT).until(() -> game.node.status().channels().size() == 2);
    assertThat(game.node.status().channels()).containsExactly(new ChannelStatus("news", false, 1),
        new ChannelStatus("room:*", true, 1));
    NodeStatus gameStatus = game.node.status();
    assertThat(gameStatus.listenAddress()).endsWith(":" + port);
    assertThat(gameStatus.modules()).singleElement().satisfies(module -> {
      assertThat(module.module()).isEqualTo("svc");
      assertThat(module.instances()).extracting(ModuleStatus.Instance::instanceName, ModuleStatus.Instance::index,
          ModuleStatus.Instance::concurrent, ModuleStatus.Instance::commands).containsExactly(
          org.assertj.core.groups.Tuple.tuple("main", 0, false, List.of("echo", "ping")),
          org.assertj.core.groups.Tuple.tuple("main", 1, false, List.of("echo", "ping")));
    });

    game.close();
    await().atMost(WAIT).until(() -> game1(caller).state() == RemoteNodeState.DOWN);
    assertThat(game1(caller).lastFailure()).contains("graceful shutdown");

    start(TestNode.builder("game", 1).port(port).module("svc", "main", 2, i -> new Service()));
    await().atMost(WAIT).until(() -> game1(caller).state() == RemoteNodeState.UP);
    assertThat(game1(caller).lastFailure()).isNull();
  }

  @Test
  void aNodeThatAnnouncedItsShutdownIsDrainingWhileCallsArePending() throws Exception {
    TestNode game = start(TestNode.builder("game", 1).handler(HandlerDefinition.of("slow", null, 1,
        self -> new Object() {
          @SuppressWarnings("unused")
          public int sleep(int millis) throws InterruptedException {
            Thread.sleep(millis);
            return millis;
          }
        })).configure(b -> b.shutdownTimeout(Duration.ofSeconds(10))));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(game);
    var pending = caller.frpc.module("game", "slow").callAsync("sleep", Integer.class, 2_000);
    await().atMost(WAIT).until(() -> game1(caller).pendingCalls() == 1);

    Thread stopper = new Thread(game::close);
    stopper.start();
    await().atMost(WAIT).until(() -> game1(caller).state() == RemoteNodeState.DRAINING);
    assertThat(game1(caller).pendingCalls()).isEqualTo(1);
    assertThat(pending.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2_000);
    await().atMost(WAIT).until(() -> game1(caller).state() == RemoteNodeState.DOWN);
    stopper.join(10_000);
  }
}
