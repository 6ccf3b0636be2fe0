package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.FrpcResources;
import io.frpc.FrpcTemplate;
import io.frpc.LoadBalancing;
import io.frpc.NoNodeConnectedException;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.Transport;
import io.frpc.UnknownNodeNameException;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.spring.FrpcHandler;
import io.frpc.spring.FrpcNodeCustomizer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class FrpcAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withPropertyValues("frpc.server.port=0", "frpc.server.host=127.0.0.1");

  private final ApplicationContextRunner namedNode = runner.withPropertyValues("frpc.node.name=game");

  @Test
  void namedNodeGetsANodeItsTemplateAndStaticDiscovery() {
    namedNode.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(FrpcNode.class);
      assertThat(context).hasSingleBean(FrpcTemplate.class);
      assertThat(context).hasSingleBean(StaticNodeDiscovery.class);
      assertThat(context.getBean(FrpcNode.class).id()).hasToString("game:1");
    });
  }

  @Test
  void serverListensOnceTheContextHasStarted() {
    namedNode.run(context -> {
      FrpcNode node = context.getBean(FrpcNode.class);
      assertThat(node.isListening()).isTrue();
      assertThat(node.listenAddress()).isNotNull();
      assertThat(node.listenAddress().getPort()).isPositive();
    });
  }

  /** The default is 10 s, so a connection closed within 5 s shows the property was applied. */
  @ParameterizedTest
  @ValueSource(strings = {"frpc.handshake-timeout", "frpc.server.handshake-timeout"})
  void theHandshakeTimeoutIsTakenFromItsPropertyOrItsFormerName(String property) {
    namedNode.withPropertyValues(property + "=300ms").run(context -> {
      FrpcNode node = context.getBean(FrpcNode.class);
      try (Socket silent = new Socket("127.0.0.1", node.listenAddress().getPort())) {
        silent.setSoTimeout(5_000);
        assertThat(silent.getInputStream().read()).as("closed by the node before the default timeout").isEqualTo(-1);
      }
    });
  }

  @Test
  void serverStopsListeningWhenTheContextCloses() {
    namedNode.run(context -> {
      FrpcNode node = context.getBean(FrpcNode.class);
      context.close();
      assertThat(node.isListening()).isFalse();
      assertThat(node.isRunning()).isFalse();
    });
  }

  @Test
  void missingNodeNameFailsStartUpSayingItIsRequired() {
    runner.run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(FrpcConfigurationException.class)
          .hasMessageContaining("frpc.node.name is required");
    });
  }

  @Test
  void blankNodeNameFailsStartUpSayingItIsRequired() {
    runner.withPropertyValues("frpc.node.name= ").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("frpc.node.name is required");
    });
  }

  @Test
  void aNodeNameThatCouldForgeALogLineFailsStartUpNamingThePropertyAndTheRule() {
    runner.withPropertyValues("frpc.node.name=game\r\nERROR forged line").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
          .hasMessageContaining("frpc.node.name must be 1 to 255 ASCII letters, digits, '_', '-' and '.'")
          .hasMessageContaining("game\\u000D\\u000AERROR forged line");
    });
  }

  @Test
  void aNodeNameWithAColonFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("frpc.node.name=game:2").run(context -> assertThat(context.getStartupFailure())
        .rootCause().hasMessageContaining("frpc.node.name must be 1 to 255 ASCII letters"));
  }

  @Test
  void aNegativeNodeIdFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.node.id=-1").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
          .hasMessageContaining("frpc.node.id must not be negative but was -1");
    });
  }

  @Test
  void aStaticNodeNameOutsideTheRuleFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.discovery.static.nodes.[chat*].1=127.0.0.1:9688").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
          .hasMessageContaining("frpc.discovery.static.nodes must be 1 to 255 ASCII letters")
          .hasMessageContaining("but was 'chat*'");
    });
  }

  @Test
  void aWatchedRedisNodeNameOutsideTheRuleFailsStartUpNamingTheProperty() {
    namedNode.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
            FrpcRedisDiscoveryAutoConfiguration.class))
        .withPropertyValues("frpc.discovery.type=redis", "frpc.discovery.redis.watch=game,chat*")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
              .hasMessageContaining("frpc.discovery.redis.watch must be 1 to 255 ASCII letters")
              .hasMessageContaining("'chat*'");
        });
  }

  @Test
  void disabledServerListensNowhereButKeepsTheTemplate() {
    namedNode.withPropertyValues("frpc.server.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(FrpcNode.class).serves()).isFalse();
      assertThat(context.getBean(FrpcNode.class).listenAddress()).isNull();
      assertThat(context).hasSingleBean(FrpcTemplate.class);
    });
  }

  @Test
  void customizersAdjustTheNodeBeforeItIsBuilt() {
    namedNode.withUserConfiguration(CustomizerConfiguration.class).withPropertyValues("frpc.server.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(CustomizerConfiguration.class).applied).isTrue();
          FrpcTemplate frpc = context.getBean(FrpcTemplate.class);
          long started = System.nanoTime();
          // the customizer shortened the connect wait from the 3 s default
          assertThatThrownBy(() -> frpc.module("game", "m").node(9).call("x", String.class))
              .isInstanceOf(NoNodeConnectedException.class).hasMessageContaining("50 ms");
          assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        });
  }

  @Test
  void userFrpcTemplateReplacesTheAutoConfiguredOne() {
    namedNode.withUserConfiguration(UserTemplateConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(FrpcTemplate.class);
      assertThat(context).getBean(FrpcTemplate.class).isSameAs(context.getBean("userTemplate"));
      assertThat(context).doesNotHaveBean("frpcTemplate");
    });
  }

  @Test
  void importedHandlerIsPrototypeScopedByItsAnnotation() {
    namedNode.withUserConfiguration(EchoHandlerConfiguration.class).run(context -> {
      String[] names = context.getBeanNamesForType(EchoHandler.class);
      assertThat(names).hasSize(1);
      assertThat(context.getBeanFactory().isPrototype(names[0])).isTrue();
    });
  }

  @Test
  void handlerWithThreeInstancesIsServedAsOneModuleWithThreeNamedInstances() {
    namedNode.withUserConfiguration(EchoHandlerConfiguration.class).run(context -> {
      HandlerCensus census = context.getBean(HandlerCensus.class);
      assertThat(census.created()).extracting(handler -> handler.self)
          .containsExactly(
              new FrpcInstance(context.getBean(FrpcNode.class).id(), "echo_m", "x", 0),
              new FrpcInstance(context.getBean(FrpcNode.class).id(), "echo_m", "x", 1),
              new FrpcInstance(context.getBean(FrpcNode.class).id(), "echo_m", "x", 2));
    });
  }

  @Test
  void eachHandlerInstanceIsASeparateObjectWithItsOwnDependenciesInjected() {
    namedNode.withUserConfiguration(EchoHandlerConfiguration.class).run(context -> {
      HandlerCensus census = context.getBean(HandlerCensus.class);
      assertThat(census.created()).hasSize(3).doesNotHaveDuplicates();
      assertThat(census.created()).extracting(EchoHandler::id).containsExactly(0, 1, 2);
    });
  }

  @Test
  void singletonHandlerBeanWithSeveralInstancesFailsStartUpAskingForPrototypeScope() {
    namedNode.withUserConfiguration(SingletonHandlerConfiguration.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining(TwoInstanceHandler.class.getName())
          .hasMessageContaining("instances=2")
          .hasMessageContaining("prototype");
    });
  }

  @Test
  void handlerWithZeroInstancesFailsStartUp() {
    namedNode.withUserConfiguration(NoInstanceHandlerConfiguration.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining(NoInstanceHandler.class.getName())
          .hasMessageContaining("at least 1");
    });
  }

  @Test
  void overloadedCommandFailsStartUpNamingTheCommandDeclaredTwice() {
    namedNode.withUserConfiguration(OverloadedHandlerConfiguration.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("'ping'")
          .hasMessageContaining("twice");
    });
  }

  @Test
  void malformedStaticNodeAddressFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.discovery.static.nodes.game.1=not-an-address").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("frpc.discovery.static.nodes.game.1")
          .hasMessageContaining("not-an-address");
    });
  }

  @Test
  void staticNodeAddressWithPortOutOfRangeFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.discovery.static.nodes.game.2=127.0.0.1:70000").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("frpc.discovery.static.nodes.game.2")
          .hasMessageContaining("70000");
    });
  }

  @Test
  void inJvmTransportListensOnNoPortAndReachesAStaticInJvmNode() {
    runner.withPropertyValues("frpc.node.name=game", "frpc.node.id=41", "frpc.server.transport=in-jvm")
        .withUserConfiguration(GreeterNode.class).run(game -> {
          FrpcNode gameNode = game.getBean(FrpcNode.class);
          assertThat(gameNode.listenAddress().getHostString()).isEqualTo(Transport.IN_JVM_HOST);
          assertThat(gameNode.listenAddress().getPort()).isZero();
          runner.withPropertyValues("frpc.node.name=lobby", "frpc.server.transport=in-jvm",
              "frpc.discovery.static.nodes.game.41=in-jvm").run(lobby -> {
                assertThat(lobby.getBean(FrpcTemplate.class).module("game", "greeter").call("greet", String.class, "x"))
                    .isEqualTo("hello x");
              });
        });
  }

  @Test
  void staticInJvmNodeMayNameItsPortOnlyAsZero() {
    namedNode.withPropertyValues("frpc.discovery.static.nodes.game.1=in-jvm:0",
        "frpc.discovery.static.nodes.game.2=in-jvm")
        .run(context -> assertThat(context.getBean(FrpcNode.class).id()).hasToString("game:1"));
    namedNode.withPropertyValues("frpc.discovery.static.nodes.game.3=in-jvm:9688").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("frpc.discovery.static.nodes.game.3")
          .hasMessageContaining("in-JVM node, which has no port")
          .hasMessageContaining("write in-jvm");
    });
  }

  @Test
  void nodeKeepsRunningWhileATestContextIsPaused() {
    namedNode.run(context -> assertThat(context.getBean(FrpcLifecycle.class).isPauseable()).isFalse());
  }

  @Test
  void limitPropertiesReachTheNodeAndInvalidOnesFailStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.server.max-connections=0").run(context -> assertThat(context
        .getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
        .hasMessageContaining("frpc.server.max-connections"));
    namedNode.withPropertyValues("frpc.max-inbound-bytes=10KB").run(context -> assertThat(context
        .getStartupFailure()).rootCause().hasMessageContaining("frpc.max-inbound-bytes"));
    namedNode.withPropertyValues("frpc.max-queued-outbound-bytes=1KB").run(context -> assertThat(context
        .getStartupFailure()).rootCause().hasMessageContaining("frpc.max-queued-outbound-bytes"));
    for (String handshakeLimit : List.of("frpc.server.max-handshaking", "frpc.server.max-handshaking-per-network",
        "frpc.server.max-handshaking-per-address", "frpc.server.handshake-rate-per-address")) {
      namedNode.withPropertyValues(handshakeLimit + "=0").run(context -> assertThat(context.getStartupFailure())
          .rootCause().isInstanceOf(FrpcConfigurationException.class).hasMessageContaining(handshakeLimit));
    }
    namedNode.withPropertyValues("frpc.max-inbound-bytes=16MB", "frpc.server.max-handshaking-per-address=2",
        "frpc.server.max-handshaking=32", "frpc.server.max-handshaking-per-network=8",
        "frpc.server.handshake-rate-per-address=10", "frpc.unwritable-timeout=3s")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void loadBalancingTakesItsValuesInKebabCaseAndAnUnknownOneFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.server.enabled=false", "frpc.client.load-balancing=least-loaded")
        .run(context -> assertThat(context.getBean(FrpcProperties.class).getClient().getLoadBalancing())
            .isEqualTo(LoadBalancing.LEAST_LOADED));
    namedNode.withPropertyValues("frpc.server.enabled=false", "frpc.client.load-balancing=fastest")
        .run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("Failed to bind properties under 'frpc.client.load-balancing'"));
  }

  @Test
  void maxMessageSizeOfTwoGigabytesFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.max-message-size=2GB").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("frpc.max-message-size")
          .hasMessageContaining("below 2 GB");
    });
  }

  @Test
  void maxMessageTokensOfZeroFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.max-message-tokens=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("frpc.max-message-tokens must be positive but was 0");
    });
  }

  @Test
  void heartbeatTimeoutNotLongerThanTheIntervalFailsStartUpNamingBothProperties() {
    namedNode.withPropertyValues("frpc.heartbeat-interval=5s", "frpc.heartbeat-timeout=5s").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("frpc.heartbeat-timeout")
          .hasMessageContaining("frpc.heartbeat-interval");
    });
  }

  @Test
  void fragmentSizeBelowOneKibibyteFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.fragment-size=512B").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("frpc.fragment-size");
    });
  }

  @Test
  void socketBufferSizeBelowEightKibibytesFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.socket-buffer-size=4KB").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("frpc.socket-buffer-size");
    });
  }

  @Test
  void fragmentWindowBelowSixteenKibibytesFailsStartUpNamingTheProperty() {
    namedNode.withPropertyValues("frpc.fragment-window=8KB").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("frpc.fragment-window")
          .hasMessageContaining("8192");
    });
  }

  @Test
  void callToANodeThatNeverConnectsFailsAfterTheConfiguredConnectWait() {
    namedNode.withPropertyValues("frpc.server.enabled=false", "frpc.client.connect-wait=100ms",
        "frpc.discovery.static.nodes.nobody.1=127.0.0.1:1").run(context -> {
          FrpcTemplate frpc = context.getBean(FrpcTemplate.class);
          assertThatThrownBy(() -> frpc.module("nobody", "any_m").call("ping", String.class, "hi"))
              .isInstanceOf(NoNodeConnectedException.class)
              .hasMessageContaining("nobody")
              .hasMessageContaining("100 ms");
        });
  }

  @Test
  void callToANodeNameMissingFromTheStaticListFailsAtOnceNamingThePropertyAndTheLikelyName() {
    namedNode.withPropertyValues("frpc.server.enabled=false", "frpc.client.connect-wait=3s",
        "frpc.discovery.static.nodes.game.1=127.0.0.1:1").run(context -> {
          FrpcTemplate frpc = context.getBean(FrpcTemplate.class);
          long started = System.nanoTime();
          assertThatThrownBy(() -> frpc.module("gaem", "any_m").call("ping", String.class, "hi"))
              .isInstanceOf(UnknownNodeNameException.class)
              .hasMessageContaining("frpc.discovery.static.nodes")
              .hasMessageContaining("did you mean 'game'");
          assertThatThrownBy(() -> frpc.module("gaem", "any_m").send("ping", "hi").join())
              .hasCauseInstanceOf(UnknownNodeNameException.class);
          assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        });
  }

  @Test
  void userNodeDiscoveryReplacesStaticDiscovery() {
    namedNode.withUserConfiguration(UserDiscoveryConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(NodeDiscovery.class);
      assertThat(context).doesNotHaveBean(StaticNodeDiscovery.class);
      assertThat(context).getBean(NodeDiscovery.class).isSameAs(context.getBean("userDiscovery"));
    });
  }

  @Test
  void nodeListenerBeanMayDependOnTheTemplate() {
    namedNode.withUserConfiguration(TemplateUsingListenerConfiguration.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(TemplateUsingListener.class);
    });
  }

  @Test
  void aFrpcResourcesBeanIsWhatTheNodeRunsOnAndTheNodeNeverClosesIt() {
    AtomicReference<FrpcResources> shared = new AtomicReference<>();
    namedNode.withBean(FrpcResources.class, () -> FrpcResources.builder().label("app-shared").ioThreads(1).build())
        .run(context -> {
          FrpcResources resources = context.getBean(FrpcResources.class);
          shared.set(resources);
          FrpcNode node = context.getBean(FrpcNode.class);
          assertThat(node.isListening()).isTrue();
          assertThat(threadsNamed("frpc-io-app-shared")).isNotEmpty();
          assertThat(threadsNamed("frpc-io-" + node.id())).as("no event loops of the node's own").isEmpty();

          node.close();

          assertThat(resources.isClosed()).isFalse();
        });
    assertThat(shared.get().isClosed()).as("closed by the context, its owner").isTrue();
  }

  @Test
  void withoutAFrpcResourcesBeanTheNodeHasThreadsOfItsOwn() {
    namedNode.run(context -> {
      FrpcNode node = context.getBean(FrpcNode.class);
      assertThat(context).doesNotHaveBean(FrpcResources.class);
      assertThat(threadsNamed("frpc-io-" + node.id())).isNotEmpty();
    });
  }

  private static Set<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
        .collect(Collectors.toSet());
  }

  @Configuration(proxyBeanMethods = false)
  static class CustomizerConfiguration {

    volatile boolean applied;

    @Bean
    FrpcNodeCustomizer shortConnectWait() {
      return builder -> {
        applied = true;
        builder.connectWait(Duration.ofMillis(50)).discovery(null);
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTemplateConfiguration {

    @Bean
    FrpcTemplate userTemplate(FrpcNode node) {
      return node.template();
    }
  }

  /** Records every handler object Spring creates, in creation order; one per context. */
  static class HandlerCensus {

    private final List<EchoHandler> created = new CopyOnWriteArrayList<>();

    synchronized int register(EchoHandler handler) {
      created.add(handler);
      return created.size() - 1;
    }

    List<EchoHandler> created() {
      return List.copyOf(created);
    }
  }

  @FrpcHandler(module = "echo_m", instanceName = "x", instances = 3)
  public static class EchoHandler {

    private final int id;
    final FrpcInstance self;

    public EchoHandler(HandlerCensus census, FrpcInstance self) {
      this.self = self;
      this.id = census.register(this);
    }

    public String echo(String text) {
      return text;
    }

    public int id() {
      return id;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(EchoHandler.class)
  static class EchoHandlerConfiguration {

    @Bean
    HandlerCensus handlerCensus() {
      return new HandlerCensus();
    }
  }

  @FrpcHandler(module = "pair_m", instances = 2)
  public static class TwoInstanceHandler {

    public String ping(String text) {
      return text;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SingletonHandlerConfiguration {

    @Bean
    TwoInstanceHandler twoInstanceHandler() {
      return new TwoInstanceHandler();
    }
  }

  @FrpcHandler(module = "none_m", instances = 0)
  public static class NoInstanceHandler {

    public String ping(String text) {
      return text;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(NoInstanceHandler.class)
  static class NoInstanceHandlerConfiguration {
  }

  @FrpcHandler(module = "overloaded_m")
  public static class OverloadedHandler {

    public String ping(String text) {
      return text;
    }

    public String ping(int number) {
      return Integer.toString(number);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(OverloadedHandler.class)
  static class OverloadedHandlerConfiguration {
  }

  /** A discovery source of the application's own that reports no nodes. */
  static class UserDiscovery implements NodeDiscovery {

    @Override
    public void start(DiscoveryContext context) {
    }

    @Override
    public void close() {
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserDiscoveryConfiguration {

    @Bean
    UserDiscovery userDiscovery() {
      return new UserDiscovery();
    }
  }

  static class TemplateUsingListener implements NodeListener {

    private final FrpcTemplate frpc;

    TemplateUsingListener(FrpcTemplate frpc) {
      this.frpc = frpc;
    }

    @Override
    public void nodeUp(RemoteNode node) {
      frpc.isActive(node.id().name());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TemplateUsingListenerConfiguration {

    @Bean
    TemplateUsingListener templateUsingListener(FrpcTemplate frpc) {
      return new TemplateUsingListener(frpc);
    }
  }
}
