package io.frpc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.RemoteCallException;
import io.frpc.test.FrpcStub;
import io.frpc.test.autoconfigure.FrpcStubs;
import io.frpc.test.autoconfigure.FrpcTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;

/**
 * The client's typed client of test_m, tested alone against stubs of cluster_server; the sample's NodeWatcher is
 * included to see the node events.
 */
@FrpcTest(includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = NodeWatcher.class))
class TestClientTest {

  @Autowired
  private TestClient client;

  @Autowired
  private FrpcStubs stubs;

  @Autowired
  private NodeWatcher watcher;

  @Test
  void pingAnswersWhatTheServerAnswers() {
    stubs.node("cluster_server", 1).module("test_m").answers("ping", args -> "pong from the stub").start();

    assertThat(client.ping()).isEqualTo("pong from the stub");
    assertThat(client.pingNode(1)).isEqualTo("pong from the stub");
  }

  @Test
  void helloSendsTheNameAndLargeMessageTheNumbers() {
    FrpcStub server = stubs.node("cluster_server", 1).module("test_m")
        .answers("hello", args -> null)
        .answers("large_msg", args -> args.get(0));
    server.start();

    client.hello("alice");
    assertThat(client.largeMessage(List.of(1, 2, 3))).containsExactly(1, 2, 3);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(server.received("test_m", "hello")).containsExactly(List.of("alice")));
  }

  @Test
  void aServerErrorReachesTheCaller() {
    stubs.node("cluster_server", 1).module("test_m").fails("ping", new IllegalStateException("under maintenance"))
        .start();

    assertThatThrownBy(client::ping).isInstanceOf(RemoteCallException.class).hasMessageContaining("under maintenance");
  }

  @Test
  void aKilledServerIsANodeDownEventAndCallsGoToTheOtherOne() throws InterruptedException {
    stubs.node("cluster_server", 1).module("test_m").answers("ping", args -> "pong from 1").start();
    stubs.node("cluster_server", 2).module("test_m").answers("ping", args -> "pong from 2").start();
    assertThat(watcher.awaitUp(Set.of(1, 2), Duration.ofSeconds(2))).isTrue();

    stubs.get("cluster_server", 2).kill();

    await().atMost(Duration.ofSeconds(5)).until(() -> !watcher.awaitUp(Set.of(2), Duration.ZERO));
    assertThat(List.of(client.ping(), client.ping(), client.ping())).containsOnly("pong from 1");
  }
}
