package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Node up and down are reported once per transition; a lost node is reconnected with backoff (the waits of the
 * backoff, with the defaults too, are ReconnectsTest's, on a manual clock).
 */
class NodeLifecycleTest {

  private static final Duration QUIET = Duration.ofMillis(500);

  /** Handler of module "svc". */
  public static final class Service {
    public String where() {
      return "here";
    }
  }

  private final List<String> events = new CopyOnWriteArrayList<>();
  private TestNode caller;
  private TestNode server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    caller.close();
  }

  @Test
  void aNodeThatStartsLaterIsConnectedAndReportedUpOnce() {
    caller = TestNode.builder("caller", 1).start();
    caller.client.addListener(recorder());
    int port = freePortOf(TestNode.builder("probe", 1));
    caller.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", port);
    assertThat(caller.frpc.isActive("game")).isFalse();

    server = TestNode.builder("game", 1).port(port).module("svc", null, 1, i -> new Service()).start();

    await().atMost(Duration.ofSeconds(10)).until(() -> caller.frpc.isActive("game", 1));
    // once: still one event after a quiet period
    await().during(QUIET).atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    assertThat(events).containsExactly("up game:1");
    assertThat(caller.frpc.activeNodeIds("game")).containsExactly(1);
    assertThat(caller.frpc.module("game", "svc").call("where", String.class)).isEqualTo("here");
  }

  @Test
  void aNodeThatStopsIsReportedDownOnceAsAShutdownAndUpAgainWhenItReturns() {
    server = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service()).start();
    int port = server.port();
    caller = TestNode.builder("caller", 1).start();
    caller.client.addListener(recorder());
    caller.connectedTo(server);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);

    server.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    assertThat(caller.frpc.isActive("game")).isFalse();

    server = TestNode.builder("game", 1).port(port).module("svc", null, 1, i -> new Service()).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.frpc.isActive("game", 1));
    await().during(QUIET).atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);

    assertThat(events).containsExactly("up game:1", "down game:1 SHUTDOWN", "up game:1");
    assertThat(caller.frpc.module("game", "svc").call("where", String.class)).isEqualTo("here");
  }

  @Test
  void aCallToANodeThatAnnouncedItsShutdownFailsAtOnceWithThatReason() {
    server = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service()).start();
    caller = TestNode.builder("caller", 1).start();
    caller.connectedTo(server);
    server.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !caller.frpc.isActive("game"));

    long start = System.nanoTime();
    assertThatThrownBy(() -> caller.frpc.module("game", "svc").node(1).call("where", String.class))
        .isInstanceOf(NoNodeConnectedException.class).hasMessageContaining("announced a graceful shutdown");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 3 s connect wait")
        .isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void anAddressServedByAnotherNodeIsNotTakenForTheExpectedOne() {
    server = TestNode.builder("game", 2).module("svc", null, 1, i -> new Service()).start();
    caller = TestNode.builder("caller", 1).start();
    caller.client.addListener(recorder());

    caller.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", server.port());

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !caller.frpc.isActive("game"));
    assertThat(events).isEmpty();
  }

  @Test
  void aRemovedNodeIsReportedDownWithTheGivenReasonAndNotReconnected() {
    server = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service()).start();
    caller = TestNode.builder("caller", 1).start();
    caller.client.addListener(recorder());
    caller.connectedTo(server);

    caller.client.nodeUnavailable(new NodeId("game", 1), NodeDownReason.SHUTDOWN);

    // not reconnected: TestNode's reconnect backoff would have tried several times within this period
    await().during(QUIET).atMost(Duration.ofSeconds(5))
        .until(() -> events.size() == 2 && !caller.frpc.isActive("game"));
    assertThat(events).containsExactly("up game:1", "down game:1 SHUTDOWN");
  }

  private NodeListener recorder() {
    return new NodeEventLog(events);
  }

  /** A port that was free a moment ago: bound by a throwaway node, then released. */
  @Test
  void aNodeThatCannotStartIsClosedAndHoldsNoThreads() {
    server = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service()).start();
    caller = TestNode.builder("caller", 1).start();
    FrpcNode clash = FrpcNode.builder("game", 2).listen("127.0.0.1", server.port()).ioThreads(1).build();
    String label = "frpc-io-" + clash.id();

    assertThatThrownBy(clash::start).isInstanceOf(FrpcConfigurationException.class);

    assertThatThrownBy(clash::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("was closed");
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.getName().startsWith(label) && thread.isAlive()));
  }

  private static int freePortOf(TestNode.Builder builder) {
    try (TestNode probe = builder.start()) {
      return probe.port();
    }
  }
}
