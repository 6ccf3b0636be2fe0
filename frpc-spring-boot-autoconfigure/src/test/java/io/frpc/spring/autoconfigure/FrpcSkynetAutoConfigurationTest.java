package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.skynet.client.SkynetTemplate;
import io.frpc.skynet.server.SkynetServer;
import io.frpc.test.redis.TestRedis;
import io.frpc.test.redis.boot.TestRedisConfiguration;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code frpc.skynet.server.*}: a skynet_fly listener next to the node's own, only when enabled. */
class FrpcSkynetAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class, FrpcSkynetAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1");

  @Test
  void noListenerUnlessEnabled() {
    runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SkynetServer.class));
  }

  @Test
  void anEnabledListenerAcceptsConnectionsWhileTheContextRuns() {
    runner.withPropertyValues("frpc.skynet.server.enabled=true", "frpc.skynet.server.host=127.0.0.1",
        "frpc.skynet.server.port=0", "frpc.skynet.server.secret-key=k", "frpc.skynet.server.encrypt=true",
        "frpc.skynet.server.aliases[.room]=room").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(SkynetServer.class);
          SkynetServer server = context.getBean(SkynetServer.class);
          assertThat(server.address()).as("listening once the context started").isNotNull();
          try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            assertThat(socket.isConnected()).isTrue();
          }
        });
  }

  @Test
  void aJavaNodeCallsTheSkynetNodesItIsGivenThroughTheSkynetTemplate() {
    runner.withUserConfiguration(GreeterNode.class).withPropertyValues("frpc.skynet.server.enabled=true",
        "frpc.skynet.server.host=127.0.0.1", "frpc.skynet.server.port=0").run(server -> {
          int port = server.getBean(SkynetServer.class).address().getPort();
          runner.withPropertyValues("frpc.node.name=caller", "frpc.server.enabled=false",
              "frpc.skynet.client.enabled=true", "frpc.skynet.client.nodes.game[0].id=1",
              "frpc.skynet.client.nodes.game[0].host=127.0.0.1:" + port).run(caller -> {
                assertThat(caller).hasNotFailed().hasSingleBean(SkynetTemplate.class);
                String greeting = caller.getBean(SkynetTemplate.class).module("game", "greeter")
                    .call("greet", String.class, "lua");
                assertThat(greeting).isEqualTo(server.getBean(GreeterNode.Greeter.class).greet("lua"));
              });
        });
  }

  @Test
  void noSkynetTemplateUnlessTheClientIsEnabled() {
    runner.run(context -> assertThat(context).doesNotHaveBean(SkynetTemplate.class));
  }

  @Test
  void aListenerRegisteredInSkynetFlysRedisRegistryIsWrittenAsSkynetFlyWritesIt() {
    runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
        .withUserConfiguration(TestRedisConfiguration.class)
        .withPropertyValues("frpc.skynet.server.enabled=true", "frpc.skynet.server.host=127.0.0.1",
            "frpc.skynet.server.port=0", "frpc.skynet.server.svr-id=4", "frpc.skynet.server.register=redis",
            "frpc.skynet.server.secret-key=k3y", "frpc.skynet.server.encrypt=true")
        .run(context -> {
          assertThat(context).hasNotFailed();
          TestRedis redis = context.getBean(TestRedis.class);
          int port = context.getBean(SkynetServer.class).address().getPort();
          await().atMost(Duration.ofSeconds(10))
              .until(() -> String.valueOf(redis.execute("GET", "skynet_fly:rpc:game:4")),
                  value -> value.equals("127.0.0.1:" + port + "_k3y_1"));
          assertThat(Long.parseLong(redis.execute("TTL", "skynet_fly:rpc:game:4"))).isBetween(1L, 10L);
        });
  }
}
