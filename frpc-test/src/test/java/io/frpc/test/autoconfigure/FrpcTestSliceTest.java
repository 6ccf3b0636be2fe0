package io.frpc.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.NodeDownReason;
import io.frpc.RemoteCallException;
import io.frpc.Transport;
import io.frpc.UnknownNodeNameException;
import io.frpc.spring.NodeDownEvent;
import io.frpc.test.FrpcStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

@FrpcTest(properties = "frpc.node.name=slice_app")
@Import(FrpcTestSliceTest.NodeDownEvents.class)
class FrpcTestSliceTest {

  @Autowired
  private ApplicationContext context;

  @Autowired
  private FrpcTemplate frpc;

  @Autowired
  private GreeterClient greeter;

  @Autowired
  private FrpcNode node;

  @Autowired
  private FrpcStubs stubs;

  @Autowired
  private NodeDownEvents nodeDownEvents;

  @Test
  void theApplicationsHandlersAnswerThroughTheTemplateAndTypedClients() {
    assertThat(frpc.module("slice_app", "greeter").call("greet", String.class, "template")).isEqualTo("hello template");
    assertThat(greeter.greet("client")).isEqualTo("hello client");
  }

  @Test
  void onlyFrpcHandlersAreScanned() {
    assertThat(context.getBeansOfType(GreeterModule.class)).isNotEmpty();
    assertThat(context.getBeansOfType(UnrelatedService.class)).isEmpty();
  }

  @Test
  void theNodeRunsInJvmWithAnIdNoOtherContextHas() {
    assertThat(node.listenAddress().getHostString()).isEqualTo(Transport.IN_JVM_HOST);
    assertThat(node.listenAddress().getPort()).isZero();
    assertThat(node.id().id()).isGreaterThanOrEqualTo(InJvmTestNodeCustomizerFactory.InJvmTestNode.FIRST_ID);
  }

  @Test
  void aStubStandsInForARemoteNodeAndRecordsWhatItReceived() {
    FrpcStub game = stubs.node("game", 1).module("room_m")
        .answers("join", args -> "joined " + args.get(0))
        .fails("close", new IllegalStateException("room is open"));
    game.start();

    assertThat(frpc.module("game", "room_m").call("join", String.class, "alice")).isEqualTo("joined alice");
    assertThatThrownBy(() -> frpc.module("game", "room_m").call("close", String.class))
        .isInstanceOf(RemoteCallException.class).hasMessageContaining("room is open");
    assertThat(game.received("room_m", "join")).containsExactly(List.of("alice"));
  }

  @Test
  void closedStubsAreForgottenAndTheNextTestMayStartThemAgain() {
    stubs.node("game", 1).module("room_m").answers("join", args -> "first").start();
    stubs.close();
    assertThat(frpc.isActive("game", 1)).isFalse();

    stubs.node("game", 1).module("room_m").answers("join", args -> "second").start();
    assertThat(frpc.module("game", "room_m").call("join", String.class, "bob")).isEqualTo("second");
  }

  @Test
  void aKilledStubIsANodeDownEvent() {
    stubs.node("game", 2).module("room_m").answers("join", args -> "joined").start();
    stubs.get("game", 2).kill();

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(nodeDownEvents.seen)
        .anySatisfy(down -> {
          assertThat(down.node().id().toString()).isEqualTo("game:2");
          assertThat(down.reason()).isEqualTo(NodeDownReason.CONNECTION_LOST);
        }));
  }

  @Test
  void aCallToANodeWithoutAStubSaysHowToStartOne() {
    assertThatThrownBy(() -> frpc.module("nobody", "any_m").timeout(Duration.ofMillis(200)).call("ping", String.class))
        .isInstanceOf(UnknownNodeNameException.class)
        .hasMessageContaining("FrpcStubs.node(\"nobody\", id)");
  }

  /** The node-down events published (on frpc's event thread, which Spring's ApplicationEvents does not record). */
  static class NodeDownEvents {

    final List<NodeDownEvent> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void nodeDown(NodeDownEvent event) {
      seen.add(event);
    }
  }
}
