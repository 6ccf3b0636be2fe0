package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.test.redis.TestRedis;
import io.frpc.test.redis.boot.TestRedisConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A Spring node tested the way frpc-test-redis tells applications to: {@link TestRedisConfiguration} imported, no
 * {@code spring.data.redis.*} property, and Redis discovery registers in the server it started.
 */
class FrpcRedisDiscoveryOnTestRedisConfigurationTest {

  @Test
  void aSpringNodeRegistersInTheRedisOfTestRedisConfiguration() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, FrpcAutoConfiguration.class,
            FrpcRedisDiscoveryAutoConfiguration.class))
        .withUserConfiguration(TestRedisConfiguration.class, GreeterNode.class)
        .withPropertyValues("frpc.node.name=game", "frpc.server.host=127.0.0.1", "frpc.server.port=0",
            "frpc.discovery.type=redis", "frpc.discovery.redis.key-prefix=imported")
        .run(game -> {
          TestRedis redis = game.getBean(TestRedis.class);
          int port = game.getBean(FrpcNode.class).listenAddress().getPort();

          await().atMost(Duration.ofSeconds(10)).until(() -> redis.execute("GET", "imported:rpc:game:1") != null);
          assertThat(redis.execute("GET", "imported:rpc:game:1")).contains("\"host\":\"127.0.0.1\"",
              "\"port\":" + port);
        });
  }
}
