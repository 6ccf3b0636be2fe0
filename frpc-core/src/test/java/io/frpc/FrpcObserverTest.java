package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.observability.FrpcObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every call, send and served request reaches the {@link FrpcObserver}, tagged with bounded values. */
class FrpcObserverTest {

  /** Handler of module "svc". */
  public static final class Service {
    public int echo(int value) {
      return value;
    }

    public void fail() {
      throw new IllegalStateException("no");
    }
  }

  /** Records "kind node module command outcome" lines. */
  private static final class Recorder implements FrpcObserver {
    final List<String> events = new CopyOnWriteArrayList<>();
    /** Durations reported, checked by the test thread (an assertion failing on an frpc thread would be lost). */
    final List<Long> nanos = new CopyOnWriteArrayList<>();

    @Override
    public void callCompleted(String nodeName, String module, String command, String outcome, long nanos) {
      this.nanos.add(nanos);
      events.add("call " + nodeName + " " + module + " " + command + " " + outcome);
    }

    @Override
    public void sendCompleted(String nodeName, String module, String command, String outcome) {
      events.add("send " + nodeName + " " + module + " " + command + " " + outcome);
    }

    @Override
    public void requestCompleted(String module, String command, String outcome, long nanos) {
      this.nanos.add(nanos);
      events.add("request " + module + " " + command + " " + outcome);
    }

    @Override
    public void connectionRefused(String reason) {
      events.add("refused " + reason);
    }
  }

  private final Recorder client = new Recorder();
  private final Recorder server = new Recorder();
  private TestNode game;
  private TestNode caller;

  @AfterEach
  void close() {
    caller.close();
    game.close();
  }

  @Test
  void callsSendsAndServedRequestsAreObservedWithTheirOutcome() throws Exception {
    game = TestNode.builder("game", 1).module("svc", null, 2, i -> new Service())
        .configure(b -> b.observer(server)).start();
    caller = TestNode.builder("caller", 1).configure(b -> b.observer(client)).start().connectedTo(game);
    ModuleCall svc = caller.frpc.module("game", "svc");

    assertThat(svc.call("echo", Integer.class, 1)).isEqualTo(1);
    assertThat(svc.callAsync("echo", Integer.class, 2).get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThatThrownBy(() -> svc.call("fail", Void.class)).isInstanceOf(RemoteCallException.class);
    assertThatThrownBy(() -> svc.call("nope", Void.class)).isInstanceOf(RemoteCallException.class);
    svc.send("echo", 3).get(5, TimeUnit.SECONDS);
    assertThat(svc.allNodes().call("echo", Integer.class, 4).replies()).containsEntry(1, 4);
    assertThat(svc.broadcast().call("echo", Integer.class, 5)).hasSize(2);

    await().atMost(Duration.ofSeconds(5)).until(() -> server.events.size() == 8);
    assertThat(client.events).containsExactly("call game svc echo SUCCESS", "call game svc echo SUCCESS",
        "call game svc fail COMMAND_FAILED", "call game svc nope UNKNOWN_COMMAND", "send game svc echo SUCCESS",
        "call game svc echo SUCCESS", "call game svc echo SUCCESS");
    assertThat(server.events).containsExactlyInAnyOrder("request svc echo SUCCESS", "request svc echo SUCCESS",
        "request svc fail COMMAND_FAILED", "request svc (unknown) UNKNOWN_COMMAND", "request svc echo SUCCESS",
        "request svc echo SUCCESS", "request svc echo SUCCESS", "request svc echo SUCCESS");
    assertThat(client.nanos).hasSize(6).allMatch(n -> n > 0);
    assertThat(server.nanos).hasSize(8).allMatch(n -> n > 0);
  }

  @Test
  void aRefusedConnectionIsObservedWithTheLimitsName() throws Exception {
    game = TestNode.builder("game", 1).configure(b -> b.observer(server).maxConnections(1)).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(game);
    try (RawPeer extra = RawPeer.connect(game.port())) {
      assertThat(extra.closedByNode()).isTrue();
    }
    assertThat(server.events).containsExactly("refused frpc.server.max-connections");
  }
}
