package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.frpc.FrpcTemplate;
import io.frpc.NoNodeConnectedException;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.discovery.DiscoveredNodes;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.module.ModuleDescription;
import io.frpc.module.ModuleRegistry;
import io.frpc.protocol.PayloadCodec;
import io.frpc.routing.CallExecutor;
import io.frpc.routing.FrpcClient;
import io.frpc.spring.FrpcHandler;
import io.frpc.transport.FrpcServer;
import io.frpc.transport.TransportSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
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
  void namedNodeGetsTemplateClientServerRegistryDiscoveryAndCodec() {
    namedNode.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(FrpcTemplate.class);
      assertThat(context).hasSingleBean(FrpcClient.class);
      assertThat(context).hasSingleBean(FrpcServer.class);
      assertThat(context).hasSingleBean(ModuleRegistry.class);
      assertThat(context).hasSingleBean(StaticNodeDiscovery.class);
      assertThat(context).hasSingleBean(PayloadCodec.class);
    });
  }

  @Test
  void serverListensOnceTheContextHasStarted() {
    namedNode.run(context -> {
      FrpcServer server = context.getBean(FrpcServer.class);
      assertThat(server.isRunning()).isTrue();
      assertThat(server.localAddress()).isNotNull();
      assertThat(server.localAddress().getPort()).isPositive();
    });
  }

  @Test
  void serverStopsListeningWhenTheContextCloses() {
    namedNode.run(context -> {
      FrpcServer server = context.getBean(FrpcServer.class);
      context.close();
      assertThat(server.isRunning()).isFalse();
      assertThat(server.localAddress()).isNull();
    });
  }

  @Test
  void missingNodeNameFailsStartUpSayingItIsRequired() {
    runner.run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(IllegalStateException.class)
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
  void disabledServerLeavesNoServerButKeepsTheTemplate() {
    namedNode.withPropertyValues("frpc.server.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(FrpcServer.class);
      assertThat(context).hasSingleBean(FrpcTemplate.class);
      assertThat(context).hasSingleBean(FrpcClient.class);
    });
  }

  @Test
  void userPayloadCodecReplacesTheAutoConfiguredOne() {
    namedNode.withUserConfiguration(UserCodecConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(PayloadCodec.class);
      assertThat(context).getBean(PayloadCodec.class).isSameAs(context.getBean("userCodec"));
      assertThat(context).doesNotHaveBean("frpcPayloadCodec");
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
      List<ModuleDescription> modules = context.getBean(ModuleRegistry.class).describe();
      assertThat(modules).extracting(ModuleDescription::name).containsExactly("echo_m");
      assertThat(modules.get(0).instances())
          .extracting(ModuleDescription.Instance::index, ModuleDescription.Instance::instanceName,
              ModuleDescription.Instance::handlerType)
          .containsExactly(
              tuple(0, "x", EchoHandler.class.getName()),
              tuple(1, "x", EchoHandler.class.getName()),
              tuple(2, "x", EchoHandler.class.getName()));
    });
  }

  @Test
  void eachHandlerInstanceIsASeparateObjectWithItsOwnDependenciesInjected() {
    namedNode.withUserConfiguration(EchoHandlerConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(ModuleRegistry.class);
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
  void transportSettingsAreBoundFromProperties() {
    namedNode.withPropertyValues("frpc.max-message-size=1MB", "frpc.fragment-size=16KB",
        "frpc.heartbeat-interval=2s", "frpc.heartbeat-timeout=7s", "frpc.server.handshake-timeout=3s")
        .run(context -> assertThat(context.getBean(TransportSettings.class)).isEqualTo(new TransportSettings(
            1024 * 1024, 16 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofSeconds(3))));
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
  void callToANodeThatNeverConnectsFailsAfterTheConfiguredConnectWait() {
    namedNode.withPropertyValues("frpc.server.enabled=false", "frpc.client.connect-wait=100ms").run(context -> {
      FrpcTemplate frpc = context.getBean(FrpcTemplate.class);
      assertThatThrownBy(() -> frpc.module("nobody", "any_m").call("ping", String.class, "hi"))
          .isInstanceOf(NoNodeConnectedException.class)
          .hasMessageContaining("nobody")
          .hasMessageContaining("100 ms");
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

  @Configuration(proxyBeanMethods = false)
  static class UserCodecConfiguration {

    @Bean
    PayloadCodec userCodec() {
      return new PayloadCodec();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserTemplateConfiguration {

    @Bean
    FrpcTemplate userTemplate(FrpcClient client, CallExecutor executor) {
      return new FrpcTemplate(client, executor);
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

    public EchoHandler(HandlerCensus census) {
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
    public void start(DiscoveredNodes nodes) {
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
