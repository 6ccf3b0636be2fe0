package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.status.RemoteNodeStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What sets the in-JVM transport apart from TCP: its addresses, and that it neither reaches nor is reached by TCP
 * nodes. That it carries calls, secrets and TLS like TCP is shown by the tests that run on it (and frpc-test's).
 */
@ExtendWith(NettyLeakExtension.class)
class InJvmTransportTest {

  public static final class Echo {
    public String echo(String text) {
      return text;
    }
  }

  @Test
  void anInJvmNodeListensOnTheInJvmHostWithoutAPort() {
    try (TestNode game = TestNode.inJvm("game", 1).module("echo", null, 1, i -> new Echo()).start();
         TestNode caller = TestNode.inJvm("caller", 1).start().connectedTo(game)) {
      assertThat(game.node.listenAddress().getHostString()).isEqualTo(Transport.IN_JVM_HOST);
      assertThat(game.port()).isZero();
      assertThat(game.node.status().listenAddress()).isEqualTo("in-jvm:0");
      assertThat(game.node.exposedWithoutSecret()).isFalse();
      assertThat(caller.frpc.module("game", "echo").call("echo", String.class, "local")).isEqualTo("local");
      assertThat(caller.node.connectedNodes()).extracting(RemoteNode::address).containsExactly("in-jvm:0");
    }
  }

  @Test
  void aTcpNodeToldOfAnInJvmNodeSaysItCannotReachIt() {
    try (TestNode game = TestNode.inJvm("game", 1).start(); TestNode caller = TestNode.builder("caller", 1).start()) {
      caller.knows(game);

      assertThat(lastFailure(caller, game.id())).contains("node game:1 was reported at host in-jvm: it uses the "
          + "in-JVM transport, which node caller:1 (on TCP) cannot reach");
    }
  }

  @Test
  void anInJvmNodeToldOfATcpAddressSaysItReachesOnlyInJvmNodes() {
    try (TestNode game = TestNode.builder("game", 1).start(); TestNode caller = TestNode.inJvm("caller", 1).start()) {
      caller.knows(game);

      assertThat(lastFailure(caller, game.id())).contains("node game:1 was reported at 127.0.0.1:" + game.port()
          + ", but node caller:1 uses the in-JVM transport and reaches only nodes of it (reported at host in-jvm)");
    }
  }

  @Test
  void sharedResourcesOfAnotherTransportAreRefused() {
    try (FrpcResources tcp = FrpcResources.builder().ioThreads(1).build()) {
      assertThatThrownBy(() -> FrpcNode.builder("game", 1).transport(Transport.IN_JVM).resources(tcp).build())
          .isInstanceOf(FrpcConfigurationException.class)
          .hasMessage("frpc node game:1 uses the IN_JVM transport but was given resources built for TCP; build the "
              + "shared resources with FrpcResources.builder().transport(IN_JVM)");
    }
  }

  @Test
  void inJvmNodesShareResourcesBuiltForTheirTransport() {
    try (FrpcResources shared = FrpcResources.builder().ioThreads(1).transport(Transport.IN_JVM).build();
         TestNode game = TestNode.inJvm("game", 1).configure(node -> node.resources(shared))
             .module("echo", null, 1, i -> new Echo()).start();
         TestNode caller = TestNode.inJvm("caller", 1).configure(node -> node.resources(shared)).start()
             .connectedTo(game)) {
      assertThat(caller.frpc.module("game", "echo").call("echo", String.class, "shared")).isEqualTo("shared");
    }
  }

  private static String lastFailure(TestNode caller, NodeId node) {
    await().atMost(Duration.ofSeconds(5)).until(() -> failure(caller, node) != null);
    return failure(caller, node);
  }

  private static String failure(TestNode caller, NodeId node) {
    return caller.node.status().nodes().stream().filter(status -> status.id().equals(node))
        .map(RemoteNodeStatus::lastFailure).filter(failure -> failure != null).findFirst().orElse(null);
  }
}
