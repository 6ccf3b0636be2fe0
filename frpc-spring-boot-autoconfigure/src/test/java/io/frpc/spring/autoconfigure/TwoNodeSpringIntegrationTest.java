package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcCall;
import io.frpc.FrpcIgnore;
import io.frpc.FrpcInstance;
import io.frpc.FrpcTemplate;
import io.frpc.ModuleCall;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.InstanceReply;
import io.frpc.NodeDownReason;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.spring.FrpcHandler;
import io.frpc.spring.NodeDownEvent;
import io.frpc.spring.NodeUpEvent;
import io.frpc.FrpcNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * Two Spring contexts in one JVM: node {@code game:1} serves modules, node {@code lobby:1} calls it
 * through static discovery.
 */
class TwoNodeSpringIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(500);

  private final ApplicationContextRunner serverRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withUserConfiguration(GameNodeConfiguration.class)
      .withPropertyValues("frpc.node.name=game", "frpc.node.id=1", "frpc.server.port=0",
          "frpc.server.host=127.0.0.1");

  private final ApplicationContextRunner clientRunner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withUserConfiguration(LobbyNodeConfiguration.class)
      .withPropertyValues("frpc.node.name=lobby", "frpc.node.id=1", "frpc.server.enabled=false");

  @Test
  void nodeUpEventIsPublishedOnceWhenTheServerNodeConnects() {
    withConnectedNodes((server, client) -> {
      NodeEvents events = client.getBean(NodeEvents.class);
      await().atMost(WAIT).untilAsserted(() -> assertThat(events.ups()).hasSize(1));
      NodeUpEvent up = events.ups().get(0);
      assertThat(up.nodeName()).isEqualTo("game");
      assertThat(up.nodeId()).isEqualTo(1);
      assertThat(up.address()).isEqualTo("127.0.0.1:" + portOf(server));
      await().during(QUIET).atMost(WAIT).untilAsserted(() -> assertThat(events.ups()).hasSize(1));
      assertThat(events.downs()).isEmpty();
    });
  }

  @Test
  void nodeListenerBeanIsToldWhenTheServerNodeComesUp() {
    withConnectedNodes((server, client) -> {
      RecordingNodeListener listener = client.getBean(RecordingNodeListener.class);
      await().atMost(WAIT).untilAsserted(() -> assertThat(listener.transitions()).containsExactly("up game:1"));
    });
  }

  @Test
  void templateCallReturnsTheRemoteHandlersAnswer() {
    withConnectedNodes((server, client) -> {
      FrpcTemplate frpc = client.getBean(FrpcTemplate.class);
      assertThat(frpc.module("game", "greeter").call("greet", String.class, "bob")).isEqualTo("hello bob");
    });
  }

  @Test
  void connectedNodeIsReportedActive() {
    withConnectedNodes((server, client) -> {
      FrpcTemplate frpc = client.getBean(FrpcTemplate.class);
      await().atMost(WAIT).until(() -> frpc.isActive("game", 1));
      assertThat(frpc.isActive("game")).isTrue();
      assertThat(frpc.activeNodeIds("game")).containsExactly(1);
      assertThat(frpc.isActive("game", 2)).isFalse();
      assertThat(frpc.isActive("lobby")).isFalse();
    });
  }

  @Test
  void broadcastReachesEveryInstanceOfAHandlerAsASeparateObject() {
    withConnectedNodes((server, client) -> {
      FrpcTemplate frpc = client.getBean(FrpcTemplate.class);
      List<InstanceReply<Integer>> replies = frpc.module("game", "tally").broadcast().call("id", Integer.class);
      assertThat(replies).allMatch(InstanceReply::succeeded);
      assertThat(replies).extracting(InstanceReply::index).containsExactlyInAnyOrder(0, 1, 2);
      assertThat(replies).extracting(InstanceReply::value).containsExactlyInAnyOrder(0, 1, 2);
    });
  }

  @Test
  void closingTheServerContextPublishesOneNodeDownEventForItsShutdown() {
    withConnectedNodes((server, client) -> {
      NodeEvents events = client.getBean(NodeEvents.class);
      await().atMost(WAIT).untilAsserted(() -> assertThat(events.ups()).hasSize(1));

      server.close();

      await().atMost(WAIT).untilAsserted(() -> assertThat(events.downs()).hasSize(1));
      NodeDownEvent down = events.downs().get(0);
      assertThat(down.nodeName()).isEqualTo("game");
      assertThat(down.nodeId()).isEqualTo(1);
      assertThat(down.reason()).isEqualTo(NodeDownReason.SHUTDOWN);
      await().during(QUIET).atMost(WAIT).untilAsserted(() -> assertThat(events.downs()).hasSize(1));
    });
  }

  @Test
  void closingTheServerContextMakesTheNodeInactive() {
    withConnectedNodes((server, client) -> {
      FrpcTemplate frpc = client.getBean(FrpcTemplate.class);
      await().atMost(WAIT).until(() -> frpc.isActive("game", 1));

      server.close();

      await().atMost(WAIT).until(() -> !frpc.isActive("game"));
      assertThat(frpc.isActive("game", 1)).isFalse();
      assertThat(frpc.activeNodeIds("game")).isEmpty();
    });
  }

  @Test
  void nodeListenerBeanIsToldWhenTheServerNodeShutsDown() {
    withConnectedNodes((server, client) -> {
      RecordingNodeListener listener = client.getBean(RecordingNodeListener.class);
      await().atMost(WAIT).untilAsserted(() -> assertThat(listener.transitions()).containsExactly("up game:1"));

      server.close();

      await().atMost(WAIT).untilAsserted(() -> assertThat(listener.transitions())
          .containsExactly("up game:1", "down game:1 SHUTDOWN"));
    });
  }

  @Test
  void injectionSettersLifecycleCallbacksAndListenersOfAHandlerAreNotCommands() {
    withConnectedNodes((server, client) -> {
      ModuleCall account = client.getBean(FrpcTemplate.class).module("game", "account");
      assertThat(account.call("balance", Integer.class)).isEqualTo(100);
      for (String hidden : List.of("setIds", "setBeanName", "afterPropertiesSet", "onUp", "audit")) {
        assertThatThrownBy(() -> account.call(hidden, Object.class, (Object) null)).as(hidden)
            .isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_COMMAND));
      }
    });
  }

  @Test
  void aHandlerBeanIsToldItsInstanceAndDuringACallItsCaller() {
    withConnectedNodes((server, client) -> {
      List<InstanceReply<String>> replies = client.getBean(FrpcTemplate.class).module("game", "tally").broadcast()
          .call("whoami", String.class);
      assertThat(replies).extracting(InstanceReply::value).containsExactlyInAnyOrder(
          "tally#0@game:1 called by lobby:1", "tally#1@game:1 called by lobby:1", "tally#2@game:1 called by lobby:1");
    });
  }

  @Test
  void aNonBlockingHandlerRunsOnTheServersIoThreadAndDirectCompletionOnTheCallersIoThread() {
    withConnectedNodes(clientRunner.withPropertyValues("frpc.client.direct-completion=true"), (server, client) -> {
      ModuleCall fast = client.getBean(FrpcTemplate.class).module("game", "fast");
      assertThat(fast.call("where", String.class)).startsWith("frpc-io-game:1");
      ModuleCall gated = client.getBean(FrpcTemplate.class).module("game", "gated");
      CompletableFuture<String> thread = gated.callAsync("pass", String.class)
          .thenApply(ignored -> Thread.currentThread().getName());
      GatedHandler.GATE.release();
      assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("frpc-io-lobby:1");
    });
  }

  /** Starts the game node, then a lobby node that discovers it statically, and runs {@code test}. */
  private void withConnectedNodes(TwoNodeTest test) {
    withConnectedNodes(clientRunner, test);
  }

  private void withConnectedNodes(ApplicationContextRunner clientRunner, TwoNodeTest test) {
    serverRunner.run(server -> {
      assertThat(server).hasNotFailed();
      clientRunner.withPropertyValues("frpc.discovery.static.nodes.game.1=127.0.0.1:" + portOf(server))
          .run(client -> {
            assertThat(client).hasNotFailed();
            test.run(server, client);
          });
    });
  }

  private static int portOf(AssertableApplicationContext server) {
    return server.getBean(FrpcNode.class).listenAddress().getPort();
  }

  @FunctionalInterface
  private interface TwoNodeTest {
    void run(AssertableApplicationContext server, AssertableApplicationContext client) throws Exception;
  }

  @FrpcHandler(module = "greeter")
  public static class GreeterHandler {

    public String greet(String who) {
      return "hello " + who;
    }
  }

  /** Hands out instance ids, so each handler object can tell which one it is. */
  static class IdSequence {

    private final AtomicInteger next = new AtomicInteger();

    int next() {
      return next.getAndIncrement();
    }
  }

  @FrpcHandler(module = "fast", nonBlocking = true)
  public static class FastHandler {

    public String where() {
      return Thread.currentThread().getName();
    }
  }

  /** Answers only once the test opens the gate, so the caller's continuation is attached before the reply. */
  @FrpcHandler(module = "gated")
  public static class GatedHandler {

    static final Semaphore GATE = new Semaphore(0);

    public String pass() throws InterruptedException {
      GATE.acquire();
      return "done";
    }
  }

  @FrpcHandler(module = "tally", instances = 3)
  public static class TallyHandler {

    private final int id;
    private final FrpcInstance self;

    public TallyHandler(IdSequence ids, FrpcInstance self) {
      this.id = ids.next();
      this.self = self;
    }

    public int id() {
      return id;
    }

    public String whoami() {
      return self + " called by " + FrpcCall.current().caller();
    }
  }

  /** A handler with everything the container calls: none of it may be a command. */
  @FrpcHandler(module = "account")
  public static class AccountHandler implements BeanNameAware, InitializingBean {

    private IdSequence ids;

    public int balance() {
      return 100;
    }

    @Autowired
    public void setIds(IdSequence ids) {
      this.ids = ids;
    }

    @Override
    public void setBeanName(String name) {
    }

    @Override
    public void afterPropertiesSet() {
    }

    @EventListener
    public void onUp(NodeUpEvent event) {
    }

    @FrpcIgnore
    public void audit(Object what) {
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import({GreeterHandler.class, TallyHandler.class, AccountHandler.class, FastHandler.class, GatedHandler.class})
  static class GameNodeConfiguration {

    @Bean
    IdSequence idSequence() {
      return new IdSequence();
    }
  }

  /** Collects the node events published in the client context. */
  static class NodeEvents {

    private final List<NodeUpEvent> ups = new CopyOnWriteArrayList<>();
    private final List<NodeDownEvent> downs = new CopyOnWriteArrayList<>();

    @EventListener
    public void onUp(NodeUpEvent event) {
      ups.add(event);
    }

    @EventListener
    public void onDown(NodeDownEvent event) {
      downs.add(event);
    }

    List<NodeUpEvent> ups() {
      return List.copyOf(ups);
    }

    List<NodeDownEvent> downs() {
      return List.copyOf(downs);
    }
  }

  static class RecordingNodeListener implements NodeListener {

    private final List<String> transitions = new CopyOnWriteArrayList<>();

    @Override
    public void nodeUp(RemoteNode node) {
      transitions.add("up " + node.id());
    }

    @Override
    public void nodeDown(RemoteNode node, NodeDownReason reason) {
      transitions.add("down " + node.id() + " " + reason);
    }

    List<String> transitions() {
      return List.copyOf(transitions);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class LobbyNodeConfiguration {

    @Bean
    NodeEvents nodeEvents() {
      return new NodeEvents();
    }

    @Bean
    RecordingNodeListener recordingNodeListener() {
      return new RecordingNodeListener();
    }
  }
}
